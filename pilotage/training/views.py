"""The training pages that are not a resource's list, detail, edit, history or step (those come
from `resources.py`): a session's attendance — entered on the page as a grid, or from the
attendance sheet exported and imported back — and the certificate of attendance (PDF), with the
public page its QR code opens."""

from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from pilotage.core.documents import pdf_response, qr_png_data_uri, render_pdf
from pilotage.core.errors import ErrorCode, refusal
from pilotage.core.exports import XLSX_CONTENT_TYPE
from pilotage.core.generic_views import ObjectMixin, ObjectStepView
from pilotage.core.numbers import parse_decimal
from pilotage.training import selectors, services, sheets
from pilotage.training.forms import AttendanceUploadForm
from pilotage.training.models import Trainee, TraineeStatus, TrainingSession


class AttendanceRecord(ObjectStepView):
    """The session page's grid: one "hours-<trainee>" field per trainee of the cohort, all saved
    or none (an empty field: absent)."""

    model = TrainingSession
    done_message = gettext_lazy("Attendance saved.")

    def apply(self, session: TrainingSession, data: dict[str, Any]) -> str:
        hours: dict[int, Decimal | None] = {}
        for name, text in self.request.POST.items():
            if not name.startswith("hours-"):
                continue
            try:
                trainee = int(name.removeprefix("hours-"))
                hours[trainee] = parse_decimal(text) if text.strip() else None
            except ValueError:
                raise refusal(_("“%(text)s” is not a number of hours.") % {"text": text[:20]},
                              "hours", ErrorCode.INVALID) from None  # fmt: skip
        changed = services.attendance_record(actor=self.request.user, session=session,
                                             hours=hours)  # fmt: skip
        return _("Attendance saved (%(count)s changes).") % {"count": changed}


class AttendanceSheet(ObjectMixin, View):
    """The sheet to fill for this session (XLSX), the hours recorded so far filled in."""

    model = TrainingSession

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        session = self.get_object()
        response = HttpResponse(sheets.sheet_bytes(session), content_type=XLSX_CONTENT_TYPE)
        name = f"attendance-{session.cohort.programme.code}-{session.held_on:%Y%m%d}-{session.pk}"
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response


class AttendanceImport(ObjectStepView):
    """The filled sheet sent back: every row recorded, or none and every problem listed."""

    model = TrainingSession
    form_class = AttendanceUploadForm
    done_message = gettext_lazy("Attendance sheet imported.")

    def apply(self, session: TrainingSession, data: dict[str, Any]) -> str:
        changed = sheets.attendance_import(actor=self.request.user, session=session,
                                           upload=data["file"])  # fmt: skip
        return _("Attendance sheet imported (%(count)s changes).") % {"count": changed}


class CertificatePdf(ObjectMixin, View):
    """The certificate of attendance of a trainee who completed, in French or Arabic (`?lang=ar`),
    its QR code carrying the signed verification URL."""

    model = Trainee

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        trainee = self.get_object()
        if trainee.status != TraineeStatus.COMPLETED:
            raise Http404
        language = request.GET.get("lang", "fr")
        language = language if language in ("fr", "ar") else "fr"
        url = selectors.verification_url(trainee)
        context = {
            "trainee": trainee, "programme": trainee.cohort.programme,
            "hours": selectors.hours_attended(trainee), "verification_url": url,
            "qr": qr_png_data_uri(url),
        }  # fmt: skip
        pdf = render_pdf("training/certificate_pdf.html", context, language,
                         "pilotage/certificate.css")  # fmt: skip
        return pdf_response(pdf, f"attestation-{trainee.pk}-{language}.pdf")


class Verify(View):
    """The public page a certificate of attendance's QR code opens (no sign-in)."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        trainee = selectors.trainee_by_token(token)
        context: dict[str, Any] = {"trainee": trainee}
        if trainee is not None:
            context["hours"] = selectors.hours_attended(trainee)
        response = render(request, "training/verify.html", context,
                          status=200 if trainee else 404)  # fmt: skip
        response["Cache-Control"] = "no-store"
        response["X-Robots-Tag"] = "noindex"
        return response
