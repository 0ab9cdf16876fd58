"""Pages of the services register besides its resources' (deliveries, companies, the catalogue and
the request inbox come from `resources.py`): the imports, and the public catalogue (no sign-in)
from which companies send requests."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View
from openpyxl import Workbook

from pilotage.core import access
from pilotage.core.errors import ServiceError
from pilotage.core.exports import append_row, csv_stream, workbook_bytes
from pilotage.core.generic_views import (
    ACCESS_CODES,
    AccessMixin,
    ObjectDetailView,
    ObjectMixin,
    add_service_errors,
)
from pilotage.core.jobs import lease
from pilotage.core.models import Organisation
from pilotage.core.numbers import id_param
from pilotage.core.roles import OrganisationKind
from pilotage.core.tables import Column
from pilotage.core.throttle import client_address, take_slot
from pilotage.prestations import imports, selectors, services
from pilotage.prestations.forms import (
    ImportForm,
    ServiceRequestForm,
)
from pilotage.prestations.models import (
    ImportKind,
    ImportStatus,
    ServiceCategory,
    ServiceImport,
    ServiceOffering,
)

# --- the public catalogue (no sign-in) ---------------------------------------------------------

RATE_LIMIT = 5  # requests per address and hour


class Catalogue(View):
    """The public catalogue: published services of every CTI, searchable, in the three languages."""

    template_name = "services/catalogue.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        ctis = Organisation.objects.filter(
            kind=OrganisationKind.CTI, pk__in=selectors.published_offerings().values("cti_id")
        ).order_by("acronym")
        cti = request.GET.get("cti", "")
        offerings = selectors.catalogue_search(
            text=request.GET.get("q", "")[:200],
            sector=request.GET.get("sector", "")[:255],
            category=request.GET.get("category", "")
            if request.GET.get("category") in ServiceCategory.values
            else "",
            cti=ctis.filter(pk=id_param(cti)).first() if id_param(cti) else None,
        )
        context = {
            "offerings": offerings[:200],
            "count": offerings.count(),
            "ctis": ctis,
            "sectors": selectors.catalogue_sectors(),
            "categories": ServiceCategory.choices,
            "chosen": request.GET,
        }
        template = (
            "services/partials/catalogue_results.html" if request.htmx else self.template_name
        )
        return render(request, template, context)


class CatalogueOffering(View):
    """A published service and its request form; a POST sends the request to the CTI's inbox."""

    model = ServiceOffering
    template_name = "services/catalogue_offering.html"

    def get_offering(self, pk: int) -> ServiceOffering:
        offering = selectors.published_offerings().select_related("cti").filter(pk=pk).first()
        if offering is None:
            raise Http404
        return offering

    def render_page(self, offering, form, status=200, sent=False) -> HttpResponse:
        context = {"offering": offering, "form": form, "sent": sent}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(self.get_offering(pk), ServiceRequestForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        offering = self.get_offering(pk)
        form = ServiceRequestForm(request.POST)
        if form.is_valid() and form.cleaned_data["website"]:
            # A robot filled the hidden field: answer as if sent, store nothing.
            return self.render_page(offering, ServiceRequestForm(), sent=True)
        if not take_slot("service-request", client_address(request), RATE_LIMIT, 3600):
            form.add_error(None, _("Too many requests from your connection: try again later."))
            return self.render_page(offering, form, status=429)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
            try:
                services.service_request_send(
                    offering=offering, language=get_language() or "fr", **data
                )
            except ServiceError as exc:
                if exc.code in ACCESS_CODES:
                    raise Http404 from None
                add_service_errors(form, exc)
            else:
                return self.render_page(offering, ServiceRequestForm(), sent=True)
        return self.render_page(offering, form, status=422)


class RequestFollow(View):
    """Where a company follows its request, from the link in its receipt (no account)."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        service_request = services.request_from_follow_token(token)
        if service_request is None:
            raise Http404
        return render(request, "services/request_follow.html", {"object": service_request})


# --- imports -----------------------------------------------------------------------------------


class ImportCreate(AccessMixin, View):
    """Send an XLSX/CSV of deliveries or companies for a CTI."""

    template_name = "services/import_form.html"

    def render_form(self, form, kind: str, status: int = 200) -> HttpResponse:
        context = {"form": form, "kind": kind, "kinds": ImportKind.choices}
        return render(self.request, self.template_name, context, status=status)

    def kind(self) -> str:
        kind = self.request.GET.get("kind") or self.request.POST.get("kind") or ""
        return kind if kind in ImportKind.values else ImportKind.DELIVERIES

    def get(self, request: HttpRequest) -> HttpResponse:
        if not access.can_create(request.user, ServiceImport):
            raise PermissionDenied
        return self.render_form(ImportForm(user=request.user), self.kind())

    def post(self, request: HttpRequest) -> HttpResponse:
        if not access.can_create(request.user, ServiceImport):
            raise PermissionDenied
        form = ImportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                job = services.service_import_start(
                    actor=request.user, cti=form.cleaned_data["cti"], kind=self.kind(),
                    upload=form.cleaned_data["file"],
                )  # fmt: skip
            except ServiceError as exc:
                if exc.code in ACCESS_CODES:
                    raise
                add_service_errors(form, exc)
            else:
                return redirect(job.get_absolute_url())
        return self.render_form(form, self.kind(), status=422)


class ImportDetail(ObjectDetailView):
    """The import's outcome; while it runs, the progress part refreshes itself (htmx)."""

    model = ServiceImport
    template_name = "services/import_detail.html"

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        job = self.get_object()  # one the user may see (404 otherwise) before anything else
        running = job.status == ImportStatus.RUNNING
        if running and imports.service_imports_sweep(
            cutoff=timezone.now() - lease(), import_id=job.pk
        ):
            job.refresh_from_db()  # its worker died: the page says so instead of polling forever
        if request.htmx:
            return render(request, "services/partials/import_progress.html", {"object": job})
        return super().get(request, pk)


class ImportErrors(ObjectMixin, View):
    """The import's errors as a CSV file (row, column, message)."""

    model = ServiceImport
    columns = [
        Column("row", gettext_lazy("Row"), accessor=lambda e: e["row"]),
        Column("column", gettext_lazy("Column"), accessor=lambda e: e["column"]),
        Column("message", gettext_lazy("Error"), accessor=lambda e: e["message"]),
    ]

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        job = self.get_object()
        response = StreamingHttpResponse(
            csv_stream(self.columns, job.errors), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
        return response


class ImportTemplate(AccessMixin, View):
    """An empty import file (header in the user's language and one example line), as XLSX."""

    def get(self, request: HttpRequest, kind: str) -> HttpResponse:
        if kind not in ImportKind.values:
            raise Http404
        workbook = Workbook()
        sheet = workbook.active
        for row in imports.template_rows(kind, request.user):
            append_row(sheet, row)
        response = HttpResponse(
            workbook_bytes(workbook),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="import-{kind}.xlsx"'
        return response
