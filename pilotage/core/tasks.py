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
