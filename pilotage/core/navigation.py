"""The menu: each app registers its entries; an entry shows only to users it is useful to."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# The menu's groups, in the navbar's order: a group of one entry shows as a plain link.
SECTIONS = {
    "directory": _("Directory"),
    "results": _("Plans and results"),
    "fund": _("FACET fund"),
    "governance": _("Governance"),
    "services": _("Services"),
    "certification": _("Certification"),
    "platform": _("Platform"),
}


@dataclass(frozen=True)
class MenuItem:
    label: Any
    url_name: str
    icon: str
    visible: Callable[[Any], bool]
    description: Any = ""
    section: str = "platform"  # a key of SECTIONS

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_menu: list[MenuItem] = []


def register_menu(item: MenuItem) -> None:
    if all(existing.url_name != item.url_name for existing in _menu):
        _menu.append(item)


def menu_for(user: Any) -> list[MenuItem]:
    return [item for item in _menu if item.visible(user)]


@dataclass(frozen=True)
class MenuGroup:
    label: Any
    items: list[MenuItem]


def menu_groups(items: list[MenuItem]) -> list[MenuGroup]:
    """The user's entries grouped by section, sections in the navbar's order."""
    return [
        MenuGroup(label, [item for item in items if item.section == key])
        for key, label in SECTIONS.items()
        if any(item.section == key for item in items)
    ]
