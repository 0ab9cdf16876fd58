"""Daily reminders by e-mail. Each app registers a sender — a function of today's date that
e-mails what is due and returns how many messages it sent — and the daily command
(`send_reporting_reminders`, README cron) runs every sender after the reporting reminders.
Senders only send: they change nothing, so they write no history."""

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from pilotage.core.models import Membership, User

_senders: list[Callable[[datetime.date], int]] = []


def register_reminder(sender: Callable[[datetime.date], int]) -> None:
    if sender not in _senders:
        _senders.append(sender)


def send_reminders(today: datetime.date) -> dict[str, int]:
    """Run every registered sender: messages sent, by sender's module."""
    return {sender.__module__: sender(today) for sender in _senders}


def mail(template: str, context: dict[str, Any], users: Iterable[User]) -> int:
    """Send `<template>_subject.txt` / `<template>_body.txt` to each user, in their language."""
    sent = 0
    for user in users:
        with translation.override(user.preferred_language):
            subject = render_to_string(f"{template}_subject.txt", context).strip()
            body = render_to_string(f"{template}_body.txt", {**context, "user": user})
        sent += send_mail(subject, body, None, [user.email])
    return sent


def people(organisation_ids: Iterable[int], roles: Iterable[str]) -> set[User]:
    """The active members of these organisations who hold one of these roles."""
    memberships = Membership.objects.filter(
        organisation_id__in=list(organisation_ids), role__in=list(roles), user__is_active=True
    ).select_related("user")
    return {m.user for m in memberships}
