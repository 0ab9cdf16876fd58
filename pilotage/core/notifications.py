"""Notices to people: who is told what, in the platform and by e-mail (DESIGN §1).

Services of every app call `notify(...)` after a state change; this module keeps the texts (one
per kind, rendered in the reader's language) and the grouping of unread notices."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import ngettext

from pilotage.core.models import Notification, NotificationKind, NotificationPreference, User


def message(notice: Notification) -> str:
    """The notice in the active language (the reader's)."""
    p = {**notice.params, "count": notice.count}
    kind = notice.kind
    if kind == NotificationKind.VALUES_SUBMITTED:
        text = ngettext(
            "%(cti)s submitted %(count)s value of %(agreement)s (%(period)s) for validation.",
            "%(cti)s submitted %(count)s values of %(agreement)s (%(period)s) for validation.",
            notice.count,
        )
    elif kind == NotificationKind.VALUES_RETURNED:
        text = ngettext(
            "%(count)s value of %(agreement)s (%(period)s) was returned for correction.",
            "%(count)s values of %(agreement)s (%(period)s) were returned for correction.",
            notice.count,
        )
    elif kind == NotificationKind.VALUES_VALIDATED:
        text = ngettext(
            "%(count)s value of %(agreement)s (%(period)s) was validated.",
            "%(count)s values of %(agreement)s (%(period)s) were validated.",
            notice.count,
        )
    elif kind == NotificationKind.REQUEST_RECEIVED:
        text = ngettext(
            "New service request from %(company)s: %(title)s.",
            "%(count)s new service requests, the latest from %(company)s: %(title)s.",
            notice.count,
        )
    else:
        text = ngettext(
            "Decision %(number)s of %(committee)s concerns %(organisation)s.",
            "%(count)s decisions of %(committee)s concern %(organisation)s, the latest %(number)s.",
            notice.count,
        )
    try:
        return text % p
    except (KeyError, TypeError, ValueError):  # parameters of an older wording
        return str(NotificationKind(kind).label)


def notify(
    *, recipients, kind: str, subject: str, params: dict, link: str = "", exclude=None
) -> list[Notification]:
    """Tell each recipient (once, whatever their roles): a new notice, or one more on the unread
    notice of the same kind and subject. E-mails go after the commit, through the task queue,
    only for new notices and to people who did not turn that kind off."""
    people = {
        u.pk: u for u in recipients if u.is_active and (exclude is None or u.pk != exclude.pk)
    }
    now, created = timezone.now(), []
    for user in people.values():
        grouped = Notification.objects.filter(
            recipient=user, kind=kind, subject=subject, read_at=None
        ).update(count=F("count") + 1, params=params, link=link, updated_at=now)
        if not grouped:
            created.append(
                Notification.objects.create(
                    recipient=user,
                    kind=kind,
                    subject=subject,
                    params=params,
                    link=link,
                    created_at=now,
                    updated_at=now,
                )
            )
    off = set(
        NotificationPreference.objects.filter(
            user__in=[n.recipient_id for n in created], kind=kind, by_email=False
        ).values_list("user_id", flat=True)
    )
    to_mail = [n.pk for n in created if n.recipient_id not in off]
    if to_mail:
        from pilotage.core.tasks import send_notification

        transaction.on_commit(
            lambda: [send_notification.enqueue(notification_id=pk) for pk in to_mail]
        )
    return created


def people_of(organisations, roles) -> list[User]:
    """The active people holding one of `roles` in one of `organisations` (None: anywhere)."""
    users = User.objects.filter(is_active=True, memberships__role__in=roles)
    if organisations is not None:
        users = users.filter(memberships__organisation__in=organisations)
    return list(users.distinct())
