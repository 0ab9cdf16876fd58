"""The home page's to-do list: what waits for this person, each app saying what of its own.

An app registers a provider (`register_todo`), a function of the user that returns its items,
read through the access layer in a fixed number of queries; core only composes them, the
oldest waiting first."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone

_providers: list[Callable[[Any], list["TodoItem"]]] = []


@dataclass(frozen=True)
class TodoItem:
    label: str  # already counted and translated: "3 values to validate"
    count: int
    url: str
    oldest: datetime.date | datetime.datetime | None = None  # waiting since
    due: datetime.date | None = None  # to be done by (decisions, recommendations)
    tone: str = "primary"  # Bootstrap colour of the count: danger for what is late


def due_item(text: str, due: dict, url_name: str) -> TodoItem:
    """An item for things due by a date: `due` is {"count": n, "first": earliest due date};
    `text` names them with %(count)s and %(due)s. Red once the first is late."""
    late = due["first"] < timezone.localdate()
    return TodoItem(
        text % {"count": due["count"], "due": due["first"].strftime("%d/%m/%Y")},
        due["count"], reverse(url_name), due=due["first"], tone="danger" if late else "warning",
    )  # fmt: skip


def register_todo(provider: Callable[[Any], list[TodoItem]]) -> None:
    if provider not in _providers:
        _providers.append(provider)


def _since(item: TodoItem) -> datetime.date:
    when = item.due or item.oldest
    if isinstance(when, datetime.datetime):
        return when.date()
    return when or datetime.date.max


def todo_for(user: Any) -> list[TodoItem]:
    """Every item that waits for the user, what waits longest (or is due soonest) first."""
    if user is None or not user.is_authenticated:
        return []
    items = [item for provider in _providers for item in provider(user) if item.count]
    return sorted(items, key=_since)
