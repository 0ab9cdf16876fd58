"""Reporting sheet, batch review and scorecard of a contract, the results matrix of a plan, and
the pages of the framework that are not a resource's (`resources.py`): objectives, evidence."""

import json
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import (
    get_language,
    get_language_bidi,
    gettext,
    gettext_lazy,
    ngettext,
)
from django.views import View

from pilotage.core import access, figures
from pilotage.core.errors import ServiceError
from pilotage.core.generic_views import (
    ACCESS_CODES,
    ObjectFormView,
    ObjectMixin,
    ObjectStepView,
    StoredDocumentDownload,
    add_service_errors,
)
from pilotage.core.numbers import id_param
from pilotage.programmes.models import Agreement, Programme
from pilotage.results import filters, selectors, services, sheets
from pilotage.results.charts import matrix_heatmap_spec, trend_spec
from pilotage.results.forms import (
    ObjectiveForm,
    ReportingSheetForm,
    ReturnForm,
    ReviseForm,
)
from pilotage.results.matrix_cells import WrittenMatrix, written_matrix
from pilotage.results.models import Evidence, Measurement, Objective, ReportingPeriod


def _period(request: HttpRequest, agreement: Agreement) -> tuple[ReportingPeriod | None, Any]:
    periods = ReportingPeriod.objects.visible_to(request.user).filter(
        programme=agreement.programme_id
    )
    chosen = request.GET.get("period")
    period = periods.filter(pk=id_param(chosen)).first() if id_param(chosen) else None
    return period or periods.filter(is_open=True).order_by(
        "-year", "-part"
    ).first() or periods.last(), periods


class ContractReporting(ObjectMixin, View):
    """The CTI fills its contract's indicators for a period; the ministry reviews them here."""

    model = Agreement
    template_name = "results/reporting.html"

    def render_sheet(
        self, agreement, period, periods, form, status=200, upload_errors=()
    ) -> HttpResponse:
        user = self.request.user
        steps = access.actions_of(Measurement)
        context = {
            "upload_errors": upload_errors,
            "object": agreement,
            "period": period,
            "periods": periods,
            "form": form,
            "rows": [(row, form.bound_row(row.indicator.pk)) for row in form.rows],
            "cti": selectors.contract_cti(agreement),
            # The buttons follow the steps declared on Measurement (results/models.py).
            "can": {step: access.can(user, step, Measurement) for step in steps},
            "submitted_count": sum(
                1 for row in form.rows if row.measurement and row.measurement.status == "submitted"
            ),
            "return_form": ReturnForm(),
            "revise_form": ReviseForm(),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        agreement = self.get_object()
        period, periods = _period(request, agreement)
        rows = selectors.reporting_sheet(agreement, period, request.user) if period else []
        return self.render_sheet(agreement, period, periods, ReportingSheetForm(rows=rows))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        agreement = self.get_object()
        period, periods = _period(request, agreement)
        if period is None:
            raise Http404
        rows = selectors.reporting_sheet(agreement, period, request.user)
        form = ReportingSheetForm(request.POST, rows=rows)
        if form.is_valid():
            try:
                services.measurements_record_sheet(
                    actor=request.user,
                    period=period,
                    organisation=selectors.contract_cti(agreement),
                    rows=form.sheet_rows(),
                )
            except ServiceError as exc:
                if exc.code in ACCESS_CODES:
                    raise
                add_service_errors(form, exc)
            else:
                messages.success(request, gettext_lazy("Values saved as draft."))
                return redirect(f"{request.path}?period={period.pk}")
        return self.render_sheet(agreement, period, periods, form, status=422)


class ReportingTemplate(ObjectMixin, View):
    """The contract's pre-filled XLSX for a period: indicators, units, targets, current values."""

    model = Agreement

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        agreement = self.get_object()
        period, _periods = _period(request, agreement)
        if period is None:
            raise Http404
        rows = selectors.reporting_sheet(agreement, period, request.user)
        cti = selectors.contract_cti(agreement)
        name = f"{cti.acronym if cti else agreement.reference}-{period}".replace(" ", "-")
        response = HttpResponse(
            sheets.template_bytes(rows, str(period)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="reporting-{name}.xlsx"'
        return response


class ReportingUpload(ContractReporting):
    """POST the filled template: every row checked first, then all saved or none."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        self.get_object()  # 404 for a contract the user may not see, as everywhere
        return redirect(reverse("results:contract_reporting", args=[pk]))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        agreement = self.get_object()
        period, periods = _period(request, agreement)
        upload = request.FILES.get("file")
        if period is None:
            raise Http404
        rows = selectors.reporting_sheet(agreement, period, request.user)
        errors: list[str] = []
        if upload is None:
            errors = [str(gettext_lazy("Choose the file to send."))]
        else:
            lines = []
            try:
                lines = sheets.parse_upload(upload, rows)
                services.measurements_record_sheet(
                    actor=request.user,
                    period=period,
                    organisation=selectors.contract_cti(agreement),
                    rows=lines,
                )
            except ServiceError as exc:
                if exc.code in ACCESS_CODES:
                    raise
                errors = sheets.located(exc, lines).field_errors["file"]
        if errors:
            form = ReportingSheetForm(rows=rows)
            return self.render_sheet(
                agreement, period, periods, form, status=422, upload_errors=errors
            )
        messages.success(request, gettext_lazy("File imported: values saved as draft."))
        return redirect(f"{reverse('results:contract_reporting', args=[pk])}?period={period.pk}")


class ContractStep(ObjectStepView):
    """A step on several values of a contract's sheet at once, then back to that sheet."""

    model = Agreement

    def fetch(self, pk: int) -> Agreement:
        return access.get_visible(Agreement, self.request.user, pk)

    def back(self, agreement: Agreement) -> HttpResponse:
        url = reverse("results:contract_reporting", args=[agreement.pk])
        period = self.request.POST.get("period", "")
        return redirect(f"{url}?period={period}" if id_param(period) else url)

    def selected(self) -> list[str]:
        return [int(pk) for pk in self.request.POST.getlist("measurement") if id_param(pk)]


class ContractSubmitReady(ContractStep):
    """The manager submits every ready value of the period at once."""

    def apply(self, agreement, data):
        period = access.get_visible(
            ReportingPeriod, self.request.user, self.request.POST.get("period")
        )
        submitted, not_ready = services.measurements_submit_ready(
            actor=self.request.user, agreement=agreement, period=period
        )
        told = ngettext("%(count)s value submitted to the ministry.",
                        "%(count)s values submitted to the ministry.", len(submitted)) % {
            "count": len(submitted)}  # fmt: skip
        if not_ready:
            waiting = "; ".join(f"{indicator.code}: {why}" for indicator, why in not_ready)
            told += " " + gettext("Not ready, left as they are: %(list)s.") % {"list": waiting}
        return told


class ContractReview(ContractStep):
    """The officer validates or returns the values ticked on the sheet, all or none."""

    def apply(self, agreement, data):
        ids, post = self.selected(), self.request.POST
        if post.get("action") == "validate":
            done = services.measurements_validate(actor=self.request.user, ids=ids)
            text = ngettext("%(count)s value validated.", "%(count)s values validated.", len(done))
        else:
            reasons = {int(pk): post.get(f"reason-{pk}", "") for pk in ids}
            done = services.measurements_return(
                actor=self.request.user, ids=ids, reason=post.get("reason", ""), reasons=reasons
            )
            text = ngettext("%(count)s value returned to the CTI.",
                            "%(count)s values returned to the CTI.", len(done))  # fmt: skip
        return text % {"count": len(done)}


class ContractScorecard(ObjectMixin, View):
    model = Agreement
    template_name = "results/scorecard.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        agreement = self.get_object()
        programme = agreement.programme
        years = list(range(programme.start_year, programme.end_year + 1)) if programme else []
        chosen = request.GET.get("year", "")
        year = int(chosen) if id_param(chosen) in years else (years[-1] if years else 0)
        rows = selectors.scorecard(agreement, year, request.user) if year else []
        charts = [
            json.dumps(
                trend_spec(row.trend, row.target.value if row.target else None, get_language_bidi())
            )
            for row in rows
        ]
        context = {
            "object": agreement, "year": year, "years": years, "rows": list(zip(rows, charts, strict=True)),
        }  # fmt: skip
        return render(request, self.template_name, context)


class ProgrammeResults(ObjectMixin, View):
    """The plan's CTI × indicator achievement matrix for a year, one strategic axis at a time (the
    first by default), optionally one CTI's row. The whole plan (`axis=all`) is a heatmap drawn in
    the browser from the API's JSON: thousands of cells written out as HTML cost several times
    their SQL (DESIGN §9). A filter value that names nothing is ignored, with a notice."""

    model = Programme
    template_name = "results/programme_matrix.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        programme = self.get_object()
        choices = filters.matrix_choices(programme, request.user, request.GET)
        for name in choices.unknown:
            messages.warning(request, _matrix_notice(name, choices))
        context: dict[str, Any] = {
            "object": programme, "choices": choices, "year": choices.year,
            "years": choices.years, "axes": choices.axes, "axis": choices.axis,
        }  # fmt: skip
        if choices.whole_plan:
            query = {"year": choices.year, **({"cti": choices.cti.pk} if choices.cti else {})}
            data_url = f"{reverse('api:programme_results_matrix', args=[pk])}?{urlencode(query)}"
            words = {
                "status": gettext("Status"), "indicator": gettext("Indicator"),
                "actual": gettext("Actual"), "target": gettext("Target"),
                "achievement": gettext("Achievement"), "on_track": gettext("on track"),
                "at_risk": gettext("at risk"), "off_track": gettext("off track"),
                "no_data": gettext("no data"),
            }  # fmt: skip
            spec = matrix_heatmap_spec(data_url, words, get_language_bidi())
            context.update(data_url=data_url, spec=json.dumps(spec))
        else:
            matrix = _written_matrix(programme, choices)
            ctis = [choices.cti] if choices.cti else choices.ctis
            shown = selectors.matrix_rows_shown(request.user, matrix.reporting, ctis)
            context.update(matrix=matrix, rows=[(cti, matrix.rows[cti.pk]) for cti in shown])
        return render(request, self.template_name, context)


def _written_matrix(programme, choices: filters.MatrixChoices) -> WrittenMatrix:
    """Every CTI's row of the chosen axis written as HTML, kept with the figures they are written
    from: a thousand cells take as long to write as the whole page takes otherwise (DESIGN §9)."""
    bands = selectors.configured_bands()
    version = figures.token(selectors.FIGURES)
    key = ("matrix-page", programme.pk, choices.year, getattr(choices.axis, "pk", None),
           bands.on_track, bands.at_risk, get_language())  # fmt: skip
    return figures.cached(
        selectors.FIGURES, key,
        lambda: written_matrix(selectors.matrix_figures(
            programme, choices.year, choices.axis, bands, version=version
        )),
        version=version,
    )  # fmt: skip


def _matrix_notice(name: str, choices: filters.MatrixChoices) -> str:
    """What the page shows instead of a filter value that names nothing one may choose."""
    if name == "year":
        return gettext("Unknown year: %(year)s is shown.") % {"year": choices.year}
    if name == "axis":
        if choices.axis is None:
            return gettext("Unknown axis: every indicator is shown.")
        return gettext("Unknown axis: the first axis is shown.")
    return gettext("Unknown CTI: every CTI is shown.")


class EvidenceAdd(ObjectStepView):
    """A file upload (a page only). Who may attach is the service's declared action, so the value
    only has to be visible here."""

    model = Measurement
    done_message = gettext_lazy("Evidence attached.")

    def fetch(self, pk: int) -> Measurement:
        return access.get_visible(Measurement, self.request.user, pk)

    def apply(self, measurement, data):
        services.evidence_attach(
            actor=self.request.user, measurement=measurement, upload=self.request.FILES.get("file"),
            title=self.request.POST.get("title", ""),
        )  # fmt: skip


class EvidenceDownload(StoredDocumentDownload):
    model = Evidence


# --- objectives (their pages are the indicators' and the plan's) ---------------------------------


class ObjectiveEdit(ObjectFormView):
    model = Objective
    form_class = ObjectiveForm
    title_create = gettext_lazy("New objective")
    title_edit = gettext_lazy("Edit objective")
    create_service = staticmethod(services.objective_create)
    update_service = staticmethod(services.objective_update)
    object_kwarg = "objective"
