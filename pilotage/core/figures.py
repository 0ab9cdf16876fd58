"""Figures that take a national network's worth of SQL to compute and change only when their
records do (a plan's results matrix): kept in the cache under a token that every write to those
records replaces, so that the next page reads them back instead of computing them again
(DESIGN §9: a dashboard at most 1.5× the raw SQL of its figures).

A topic names the models its figures are computed from. Saving or deleting a row of any of them
(the ORM's signals) gives the topic a new token twice: at once, so that a read later in the same
transaction sees its own write, and again when the transaction commits, since a read between the
two may have cached the figures as they were under the first new token. A token the cache has
lost is a new token: nothing kept under the old one is read back. Writes that send no signal
(a queryset's `update()`, raw SQL) call `renew`; `migrate` renews every topic.

What is kept is every CTI's figures, before anyone's reach: the caller still chooses which rows
a user may see, on each request.
"""

import uuid
from collections.abc import Callable, Hashable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, models, transaction
from django.db.models.signals import post_delete, post_migrate, post_save

T = TypeVar("T")

_topics: dict[str, tuple[type[models.Model], ...]] = {}


def _token_key(topic: str) -> str:
    return f"figures:{topic}:token"


def register(topic: str, *sources: type[models.Model]) -> None:
    """Declare that the figures of `topic` are computed from the rows of `sources` (from an
    app's `ready`)."""
    _topics[topic] = _topics.get(topic, ()) + sources

    def changed(sender, **kwargs) -> None:
        renew(topic)

    for model in sources:
        uid = f"figures:{topic}:{model._meta.label}"
        post_save.connect(changed, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(changed, sender=model, dispatch_uid=uid, weak=False)


def renew(topic: str) -> None:
    """The figures of `topic` may have changed: none kept so far is read again."""

    def replace() -> None:
        cache.set(_token_key(topic), uuid.uuid4().hex, None)

    replace()
    if not connection.in_atomic_block:
        return  # already committed: the token just given is the last
    # Once per transaction at commit, however many rows it writes (an import writes thousands);
    # a rolled-back savepoint takes its callbacks with it, so a later write registers again.
    if not any(getattr(entry[1], "topic", None) == topic for entry in connection.run_on_commit):
        replace.topic = topic  # type: ignore[attr-defined]
        transaction.on_commit(replace)


def _renew_all(**kwargs) -> None:
    try:
        for topic in _topics:
            renew(topic)
    except DatabaseError:  # the first `migrate` comes before `createcachetable`: nothing kept yet
        pass


post_migrate.connect(_renew_all, dispatch_uid="figures:migrate", weak=False)


def token(topic: str) -> str:
    """The topic's current token (a new one if the cache has none)."""
    new = uuid.uuid4().hex
    return cache.get_or_set(_token_key(topic), new, None) or new


def cached(
    topic: str, key: tuple[Hashable, ...], compute: Callable[[], T], *, version: str = ""
) -> T:
    """`compute()`, or what it returned for the same key since the topic's rows last changed.

    `version`: the token read before other figures `compute` is built from, so that what is
    kept belongs with them (a write between the two reads leaves it under a token no longer
    read)."""
    if topic not in _topics:
        raise LookupError(f"No figures are registered as {topic!r}.")
    entry = f"figures:{topic}:{version or token(topic)}:{'/'.join(map(str, key))}"
    found = cache.get(entry)
    if found is None:
        found = compute()
        cache.set(entry, found, settings.FIGURES_KEPT_SECONDS)
    return found
