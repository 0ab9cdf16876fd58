"""Background work of the core app (run by the tasks worker; immediately in tests)."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task


@task()
def send_invitation(*, user_id: int, invited_by: int) -> None:
    """E-mail a new user the link to choose a password, in their own language."""
    from pilotage.core.models import User
    from pilotage.core.services import invitation_link

    user = User.objects.get(pk=user_id)
    inviter = User.objects.filter(pk=invited_by).first()
    with translation.override(user.preferred_language):
        context = {"user": user, "inviter": inviter, "link": invitation_link(user)}
        subject = render_to_string("core/email/invitation_subject.txt", context).strip()
        body = render_to_string("core/email/invitation_body.txt", context)
    send_mail(subject, body, None, [user.email])


@task()
def send_notification(*, notification_id: int) -> None:
    """E-mail a notice in its recipient's language, with the link to what it is about; the
    count is read now, so values submitted together make one e-mail."""
    from django.conf import settings

    from pilotage.core.models import Notification

    notice = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notice is None or notice.read_at is not None:
        return  # already read in the platform: no e-mail needed
    user = notice.recipient
    with translation.override(user.preferred_language):
        context = {
            "user": user,
            "message": str(notice),
            "kind": notice.get_kind_display(),
            "link": settings.SITE_URL.rstrip("/") + notice.link if notice.link else "",
            "preferences": settings.SITE_URL.rstrip("/") + "/notifications/preferences/",
        }
        subject = render_to_string("core/email/notification_subject.txt", context).strip()
        body = render_to_string("core/email/notification_body.txt", context)
    send_mail(subject, body, None, [user.email])
