import datetime
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext, gettext_lazy
from django.views import View

from pilotage.core import access
from pilotage.core.errors import ErrorCode, ServiceError
from pilotage.core.exports import EXPORT_FORMATS, XLSX_CONTENT_TYPE, export_response
from pilotage.core.generic_views import (
    AccessMixin,
    ObjectDetailView,
    ObjectFormView,
    ObjectHistoryView,
    ObjectListView,
    ObjectStepView,
)
from pilotage.core.money import format_mad
from pilotage.core.numbers import id_param
from pilotage.core.tables import Column
from pilotage.fund import selectors, services, sheets
from pilotage.fund.filters import CommitmentFilter, JournalFilter
from pilotage.fund.forms import (
    AllocationForm,
    CommitmentForm,
    DisbursementForm,
    LedgerImportForm,
    ReallocationForm,
    ReversalForm,
    TrancheComputeForm,
    TrancheForm,
    TranchePaymentForm,
)
from pilotage.fund.models import (
    Allocation,
    Commitment,
    Entry,
    EntryKind,
    PerformanceTranche,
    TrancheComputation,
)
from pilotage.fund.selectors import budget_overview, journal_totals
from pilotage.programmes.models import Agreement, AgreementKind, Programme
from pilotage.results.selectors import contract_cti

# Which journal kinds make up each figure of the overview (its drill-down).
FIGURE_KINDS = {
    "allocated": (EntryKind.ALLOCATION, EntryKind.REALLOCATION),
    "committed": (EntryKind.COMMITMENT,),
    "disbursed": (EntryKind.DISBURSEMENT,),
}


def journal_links(journal: str, filters: dict[str, Any], as_of: datetime.date) -> dict[str, str]:
    """The journal, filtered to the entries behind each figure of an overview row. The values
    are ids, kind codes and an ISO date (nothing to escape): a national overview has hundreds
    of rows, and Django's `urlencode` would cost more than the page's SQL."""
    if "allocation" in filters:
        filters = {"allocation": filters["allocation"]}
    common = "&".join(f"{name}={value}" for name, value in filters.items())
    return {
        figure: f"{journal}?{common}&"
        + "".join(f"kind={kind}&" for kind in kinds)
        + f"until={as_of.isoformat()}"
        for figure, kinds in FIGURE_KINDS.items()
    }


OVERVIEW_COLUMNS = [
    Column("label", gettext_lazy("Level"), lambda n: f"{'  ' * n.depth}{n.label}"),
    Column("envelope", gettext_lazy("Envelope"), "figures.envelope"),
    Column("allocated", gettext_lazy("Allocated"), "figures.allocated"),
    Column("committed", gettext_lazy("Committed"), "figures.committed"),
    Column("disbursed", gettext_lazy("Disbursed"), "figures.disbursed"),
    Column("headroom", gettext_lazy("Headroom (allocated − committed)"), "figures.headroom"),
    Column("unallocated", gettext_lazy("Not yet allocated"), "figures.unallocated"),
    Column("commitment_rate", gettext_lazy("Commitment rate"), "figures.commitment_rate"),
    Column("execution_rate", gettext_lazy("Execution rate"), "figures.execution_rate"),
    Column("projection", gettext_lazy("Projected payments at the plan's end"),
           lambda n: n.projection.projected if n.projection else None),
]  # fmt: skip


class Overview(AccessMixin, View):
    """Plan envelope → axes → CTIs → years, each figure a link to the entries behind it."""

    def get(self, request: HttpRequest) -> HttpResponse:
        programmes = Programme.objects.visible_to(request.user)
        chosen = request.GET.get("programme")
        programme = (
            access.get_visible(Programme, request.user, chosen)
            if chosen
            else programmes.filter(allocations__isnull=False).first() or programmes.first()
        )
        try:
            as_of = parse_date(request.GET.get("as_of") or "") or timezone.localdate()
        except ValueError:  # a well-formed but impossible date (30 February)
            as_of = timezone.localdate()
        tree = budget_overview(request.user, programme, as_of) if programme else None
        if tree is not None and request.GET.get("export") in EXPORT_FORMATS:
            return export_response(
                request.GET["export"], OVERVIEW_COLUMNS, list(tree.walk()), "facet-overview"
            )
        # The years of each CTI line on request: the default page stays light at national scale
        # (the export always has every level).
        with_years = request.GET.get("years") == "1"
        journal = reverse("fund:journal")
        rows = [
            (node, journal_links(journal, node.filters, as_of))
            for node in (tree.walk() if tree else ())
            if with_years or node.level != "year"
        ]
        context = {
            "programmes": programmes,
            "programme": programme,
            "as_of": as_of,
            "tree": tree,
            "rows": rows,
            # The plan's and each axis's pace (a CTI's line is too small to project).
            "projections": [
                node
                for node in ([tree, *tree.children] if tree else ())
                if node.projection and node.figures.envelope
            ],
            "can_write": access.can_create(request.user, Entry),
            "with_years": with_years,
        }
        return render(request, "fund/overview.html", context)


class Journal(ObjectListView):
    model = Entry
    filterset_class = JournalFilter
    title = gettext_lazy("FACET journal")
    template_name = "fund/journal.html"
    related = (
        "allocation__cti", "allocation__axis", "target__cti", "target__axis", "commitment",
        "decision", "reverses", "recorded_by",
    )  # fmt: skip
    columns = [
        Column("entry_date", gettext_lazy("Date"), sort="entry_date"),
        Column("reference", gettext_lazy("Reference"), sort="reference", link=True),
        Column("kind", gettext_lazy("Kind"), sort="kind"),
        Column("cti", gettext_lazy("CTI"), "allocation.cti.acronym", sort="allocation__cti__acronym"),
        Column("axis", gettext_lazy("Axis"), "allocation.axis.number", sort="allocation__axis__number"),
        Column("year", gettext_lazy("Year"), "allocation.year", sort="allocation__year"),
        Column("target", gettext_lazy("To allocation"), "target"),
        Column("amount", gettext_lazy("Amount"), sort="amount"),
        Column("commitment", gettext_lazy("Commitment"), "commitment.reference"),
        Column("decision", gettext_lazy("Decision"), "decision.number"),
        Column("reverses", gettext_lazy("Reverses"), "reverses.reference"),
        Column("recorded_by", gettext_lazy("Recorded by"), "recorded_by"),
    ]  # fmt: skip
    default_sort = "-entry_date"
    export_name = "facet-journal"

    def get_context(self) -> dict[str, Any]:
        return {"can_import": access.can_create(self.request.user, Entry)}

    def get_totals(self, queryset) -> dict[str, Any]:
        by_kind = journal_totals(queryset)
        # A total across kinds means nothing; one kind filtered, its sum does.
        kinds = set(by_kind)
        return {"amount": by_kind.popitem()[1]} if len(kinds) == 1 else {}


class EntryDetail(ObjectDetailView):
    model = Entry
    template_name = "fund/entry_detail.html"

    def get_context(self, obj: Entry) -> dict[str, Any]:
        reversal = Entry.objects.visible_to(self.request.user).filter(reverses=obj).first()
        return {
            "reversal": reversal,
            "can_reverse": not obj.reverses_id
            and reversal is None
            and access.can_create(self.request.user, Entry),
        }


class AllocationDetail(ObjectDetailView):
    model = Allocation
    template_name = "fund/allocation_detail.html"

    def get_context(self, obj: Allocation) -> dict[str, Any]:
        user = self.request.user
        return {
            "commitments": Commitment.objects.visible_to(user)
            .filter(allocation=obj)
            .select_related("agreement"),
            "journal_url": reverse("fund:journal") + f"?allocation={obj.pk}",
            "can_write": access.can_create(user, Entry),
        }


class CommitmentList(ObjectListView):
    model = Commitment
    filterset_class = CommitmentFilter
    title = gettext_lazy("Commitments")
    related = ("allocation__cti", "allocation__axis", "agreement", "project")
    columns = [
        Column("reference", gettext_lazy("Reference"), sort="reference", link=True),
        Column("committed_on", gettext_lazy("Committed on"), sort="committed_on"),
        Column("cti", gettext_lazy("CTI"), "allocation.cti.acronym", sort="allocation__cti__acronym"),
        Column("axis", gettext_lazy("Axis"), "allocation.axis.number"),
        Column("year", gettext_lazy("Year"), "allocation.year", sort="allocation__year"),
        Column("for", gettext_lazy("For"), lambda c: c.agreement or c.project or c.project_text),
        Column("amount", gettext_lazy("Committed"), sort="amount"),
        Column("disbursed", gettext_lazy("Disbursed"), sort="disbursed"),
        Column("remaining", gettext_lazy("Still to pay"), "remaining"),
    ]  # fmt: skip
    default_sort = "-committed_on"
    create_url_name = "fund:commitment_create"
    export_name = "facet-commitments"


class CommitmentDetail(ObjectDetailView):
    model = Commitment
    template_name = "fund/commitment_detail.html"

    def get_context(self, obj: Commitment) -> dict[str, Any]:
        return {
            "entries": obj.entries.select_related("recorded_by", "reverses").order_by(
                "entry_date", "pk"
            ),
            "can_write": access.can_create(self.request.user, Entry),
        }


class AllocationOptions(AccessMixin, View):
    """The allocations matching what is typed in the commitment form's search box, as options:
    every word must match the CTI's acronym, the axis number or the year."""

    def get(self, request: HttpRequest) -> HttpResponse:
        lines = selectors.allocations_matching(request.user, request.GET.get("q", ""))
        return render(request, "fund/partials/allocation_options.html", {"lines": lines})


class EntryForm(ObjectFormView):
    """Record an entry: the form's fields go to the service as they are (a note, no reason)."""

    model = Entry

    def service_kwargs(self, form: Any) -> dict[str, Any]:
        return {"actor": self.request.user, **form.cleaned_data}

    def get_form(self, obj, data=None, files=None):
        initial = {"entry_date": timezone.localdate(), **self.request.GET.dict()}
        return self.form_class(data, files, user=self.request.user, initial=initial)


class AllocationCreate(EntryForm):
    form_class = AllocationForm
    title_create = gettext_lazy("Record an allocation")
    create_service = staticmethod(services.allocation_record)


class CommitmentCreate(EntryForm):
    form_class = CommitmentForm
    title_create = gettext_lazy("Record a commitment")
    create_service = staticmethod(services.commitment_record)


class ReallocationCreate(EntryForm):
    form_class = ReallocationForm
    title_create = gettext_lazy("Record a reallocation")
    create_service = staticmethod(services.reallocation_record)


class DisbursementCreate(EntryForm):
    """A payment against the commitment in the URL."""

    model = Commitment
    form_class = DisbursementForm
    title_edit = gettext_lazy("Record a payment")
    update_service = staticmethod(services.disbursement_record)
    object_kwarg = "commitment"


class EntryReverse(EntryForm):
    form_class = ReversalForm
    title_edit = gettext_lazy("Reverse an entry")
    object_kwarg = "entry"

    @staticmethod
    def update_service(**kwargs: Any) -> Entry:
        kwargs["entry_date"] = kwargs.get("entry_date") or None
        return services.entry_reverse(**kwargs)


class EntryHistory(ObjectHistoryView):
    model = Entry


class AllocationHistory(ObjectHistoryView):
    model = Allocation


class CommitmentHistory(ObjectHistoryView):
    model = Commitment


class LedgerImport(AccessMixin, View):
    """Upload page of the ledger import, and its blank template (?template=1)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        access.ensure_can_create(request.user, Entry)
        if request.GET.get("template"):
            response = HttpResponse(
                sheets.template_bytes(),
                content_type=XLSX_CONTENT_TYPE,
            )
            response["Content-Disposition"] = 'attachment; filename="facet-entries.xlsx"'
            return response
        return render(request, "fund/import.html", {"form": LedgerImportForm(user=request.user)})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = LedgerImportForm(request.POST, request.FILES, user=request.user)
        report = None
        if form.is_valid():
            try:
                report = sheets.ledger_import(
                    actor=request.user, upload=form.cleaned_data["upload"]
                )
            except ServiceError as exc:
                if exc.code == ErrorCode.FORBIDDEN:
                    raise
                for texts in exc.field_errors.values():
                    for text in texts:
                        form.add_error("upload", text)
        if report is not None and not report.errors:
            messages.success(
                request,
                gettext("%(posted)s entries posted, %(skipped)s already in the journal.")
                % {"posted": report.posted, "skipped": report.skipped},
            )
            return redirect("fund:journal")
        context = {"form": form, "report": report}
        return render(request, "fund/import.html", context, status=422)


# --- performance-linked tranches -----------------------------------------------------------------


class TrancheList(ObjectListView):
    model = PerformanceTranche
    title = gettext_lazy("Performance-linked tranches")
    related = ("agreement",)
    columns = [
        Column("agreement", gettext_lazy("Contrat-objectifs"), "agreement.reference",
               sort="agreement__reference", link=True),
        Column("year", gettext_lazy("Year of the results"), sort="year"),
        Column("amount", gettext_lazy("Tranche amount"), sort="amount"),
        Column("floor", gettext_lazy("Floor")),
        Column("cap", gettext_lazy("Cap per indicator")),
    ]  # fmt: skip
    default_sort = "-year"
    create_url_name = "fund:tranche_create"
    export_name = "facet-tranches"


class TrancheCreate(ObjectFormView):
    """The rule of a tranche: the contract first (a GET choice), then its indicators' weights."""

    model = PerformanceTranche
    form_class = TrancheForm
    template_name = "fund/tranche_form.html"
    title_create = gettext_lazy("Define a performance-linked tranche")
    create_service = staticmethod(services.tranche_define)

    def chosen_agreement(self, data: Any) -> Agreement | None:
        contracts = Agreement.objects.visible_to(self.request.user).filter(
            kind=AgreementKind.CONTRAT_OBJECTIFS
        )
        given = (data or {}).get("agreement") or self.request.GET.get("agreement", "")
        return contracts.filter(pk=id_param(given)).first() if id_param(given) else None

    def get_form(self, obj, data=None, files=None):
        agreement = self.chosen_agreement(data)
        initial = {"agreement": agreement.pk if agreement else None, "cap": 1}
        return TrancheForm(data, user=self.request.user, agreement=agreement, initial=initial)

    def service_kwargs(self, form: Any) -> dict[str, Any]:
        return {"actor": self.request.user, **form.service_fields()}

    def render_form(self, form: Any, obj: Any, status: int = 200) -> HttpResponse:
        contracts = Agreement.objects.visible_to(self.request.user).filter(
            kind=AgreementKind.CONTRAT_OBJECTIFS
        )
        context = {
            "form": form, "title": self.title_create, "contracts": contracts.order_by("reference"),
            "agreement": self.chosen_agreement(form.data or None),
        }  # fmt: skip
        return render(self.request, self.template_name, context, status=status)


class TrancheDetail(ObjectDetailView):
    """The rule, its figures as the validated values stand now, and its computations."""

    model = PerformanceTranche
    template_name = "fund/tranche_detail.html"

    def get_context(self, obj: PerformanceTranche) -> dict[str, Any]:
        user = self.request.user
        now = services.tranche_figures(obj, user)
        return {
            "weights": obj.weights.select_related("indicator"),
            "now": now,
            "pending": [line.code for line in now.lines if line.pending],
            "computations": obj.computations.select_related("computed_by"),
            "can_compute": access.can_create(user, TrancheComputation),
        }


class TrancheCompute(ObjectStepView):
    model = PerformanceTranche
    form_class = TrancheComputeForm

    def apply(self, obj: PerformanceTranche, data: dict[str, Any]) -> str:
        self.computation = services.tranche_compute(
            actor=self.request.user, tranche=obj, accept_pending=data["accept_pending"]
        )
        return gettext("Computed: %(amount)s proposed.") % {
            "amount": format_mad(self.computation.proposed)
        }

    def back(self, obj: PerformanceTranche) -> HttpResponse:
        done = getattr(self, "computation", None)
        return HttpResponseRedirect((done or obj).get_absolute_url())


class ComputationDetail(ObjectDetailView):
    """A computation as it was made, its payments, and what differs in the figures now."""

    model = TrancheComputation
    template_name = "fund/computation_detail.html"

    def get_context(self, obj: TrancheComputation) -> dict[str, Any]:
        user = self.request.user
        now = services.tranche_figures(obj.tranche, user)
        then = {line["code"]: line for line in obj.lines}
        changed = [
            (then.get(line.code), line)
            for line in now.lines
            if then.get(line.code, {}).get("counted") != str(line.counted)
        ]
        payments = Entry.objects.visible_to(user).filter(tranche_computation=obj)
        paid = sum((entry.amount for entry in payments), Decimal(0))
        return {
            "now": now, "changed": changed, "payments": payments, "paid": paid,
            "can_pay": access.can_create(user, Entry) and paid < obj.proposed,
        }  # fmt: skip


class TranchePay(ObjectFormView):
    """Record the tranche's payment in the ledger, citing this computation."""

    model = TrancheComputation
    form_class = TranchePaymentForm
    title_edit = gettext_lazy("Pay the tranche")
    update_service = staticmethod(services.tranche_pay)
    object_kwarg = "computation"

    def get_target(self) -> Any:
        # 404 for a computation one may not see, before 403 for one who may not pay.
        computation = access.get_visible(TrancheComputation, self.request.user, self.kwargs["pk"])
        access.ensure_can_create(self.request.user, Entry)
        return computation

    def service_kwargs(self, form: Any) -> dict[str, Any]:
        return {"actor": self.request.user, **form.cleaned_data}

    def get_form(self, obj, data=None, files=None):
        cti = contract_cti(obj.tranche.agreement)
        already = selectors.tranche_paid(obj.tranche)
        initial = {"paid_on": timezone.localdate(), "amount": max(obj.proposed - already, 0)}
        form = TranchePaymentForm(data, files, user=self.request.user, initial=initial)
        commitments = form.fields["commitment"].queryset.filter(allocation__cti=cti)
        form.fields["commitment"].queryset = commitments.select_related("allocation")
        return form
