"""The menu: each app registers its entries; an entry shows only to users it is useful to."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class MenuItem:
    label: Any
    url_name: str
    icon: str
    visible: Callable[[Any], bool]
    description: Any = ""

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_menu: list[MenuItem] = []


def register_menu(item: MenuItem) -> None:
    if all(existing.url_name != item.url_name for existing in _menu):
        _menu.append(item)


def menu_for(user: Any) -> list[MenuItem]:
    return [item for item in _menu if item.visible(user)]
