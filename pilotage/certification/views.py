"""The certification pages that are not a resource's list, detail, edit, history or step (those
come from `resources.py`): storing a signed report file (an upload, so a page of its own and a
multipart API route) and downloading it; a certificate's PDF; and the public verification pages
(no sign-in): by the QR code's signed token, by number and printed code, and the public key."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views import View

from pilotage.certification import selectors, services
from pilotage.certification.forms import ReportFileForm, VerifyForm
from pilotage.certification.models import Certificate, ValidationReport, ValidationRequest
from pilotage.core import signing
from pilotage.core.documents import pdf_response, qr_png_data_uri, render_pdf
from pilotage.core.generic_views import ObjectMixin, ObjectStepView, StoredDocumentDownload
from pilotage.core.throttle import client_address, take_slot


class ReportFileAdd(ObjectStepView):
    model = ValidationRequest
    form_class = ReportFileForm
    done_message = gettext_lazy("Report file stored.")

    def apply(self, request: ValidationRequest, data: dict) -> None:
        services.report_attach(
            actor=self.request.user, request=request, upload=data["file"], title=data["title"]
        )


class ReportDownload(StoredDocumentDownload):
    model = ValidationReport


class CertificatePdf(ObjectMixin, View):
    """The certificate as a PDF, in French or Arabic (`?lang=ar`), its QR code carrying the
    signed verification URL."""

    model = Certificate

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        certificate = self.get_object()
        language = request.GET.get("lang", "fr")
        language = language if language in ("fr", "ar") else "fr"
        url = selectors.verification_url(certificate)
        context = {"certificate": certificate, "verification_url": url, "qr": qr_png_data_uri(url)}
        pdf = render_pdf(
            "certification/certificate_pdf.html", context, language, "pilotage/certificate.css"
        )
        return pdf_response(pdf, f"{certificate.number}-{language}.pdf")


# A lookup by number and code costs one of these per connection and window: enough for a person
# checking the certificates in front of them, not for guessing codes.
LOOKUPS_PER_WINDOW, LOOKUP_WINDOW = 20, 600


class VerifyToken(View):
    """The public page a certificate's QR code opens (no sign-in): what the certificate says and
    its status today, or plainly that the code is not genuine."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        certificate = selectors.certificate_by_token(token)
        context = {"certificate": certificate, "checked": True, "form": VerifyForm()}
        return render(
            request, "certification/verify.html", context, status=200 if certificate else 404
        )


class VerifyLookup(View):
    """The public lookup by number and printed code; wrong guesses are throttled per connection
    and a miss says the same whatever was wrong."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = VerifyForm(request.GET or None)
        context: dict[str, Any] = {"form": form, "checked": False, "certificate": None}
        if not form.is_bound:
            return _verify_page(request, context)
        if not take_slot("certificate-lookup", client_address(request), LOOKUPS_PER_WINDOW,
                         LOOKUP_WINDOW):  # fmt: skip
            context["throttled"] = True
            return _verify_page(request, context, status=429)
        if form.is_valid():
            context["checked"] = True
            context["certificate"] = selectors.certificate_by_number(
                form.cleaned_data["number"], form.cleaned_data["code"]
            )
        status = 200 if context["certificate"] else 404 if context["checked"] else 422
        return _verify_page(request, context, status=status)


def _verify_page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    context["public_key_url"] = reverse("certification:public_key")
    response = render(request, "certification/verify.html", context, status=status)
    response["Cache-Control"] = "no-store"  # the status changes: never a stale "valid"
    response["X-Robots-Tag"] = "noindex"
    return response


class PublicKey(View):
    """The public key that checks the tokens offline (PEM, SubjectPublicKeyInfo, Ed25519)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse(signing.public_key_pem(), content_type="application/x-pem-file")
