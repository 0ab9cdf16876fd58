"""Background work of the services app (run by the tasks worker; immediately in tests)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from pilotage.core import jobs


@task()
def run_service_import(*, import_id: int) -> None:
    """Check and save an uploaded import, then tell its sender by e-mail."""
    from pilotage.prestations.imports import service_import_run

    service_import_run(import_id=import_id, notify=True)


@task()
def send_request_receipt(*, request_id: int) -> None:
    """Tell the company its request reached the CTI, in the language it wrote in, with the
    link where it can follow what becomes of it."""
    from django.urls import reverse

    from pilotage.prestations.models import ServiceRequest
    from pilotage.prestations.services import request_follow_token

    request = ServiceRequest.objects.select_related("offering", "cti").get(pk=request_id)
    link = settings.SITE_URL.rstrip("/") + reverse(
        "services:request_follow", args=[request_follow_token(request)]
    )
    with translation.override(request.language or "fr"):
        context = {"request": request, "link": link}
        subject = render_to_string("services/email/request_receipt_subject.txt", context).strip()
        body = render_to_string("services/email/request_receipt_body.txt", context)
    send_mail(subject, body, None, [request.email])


@jobs.on_abandoned(run_service_import)
def end_abandoned_import(*, import_id: int) -> None:
    from pilotage.prestations.imports import service_import_abandon

    service_import_abandon(import_id=import_id)


@jobs.sweeper
def sweep_imports(*, cutoff) -> int:
    from pilotage.prestations.imports import service_imports_sweep

    return service_imports_sweep(cutoff=cutoff)
