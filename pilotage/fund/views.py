import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
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
)
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
)
from pilotage.fund.models import Allocation, Commitment, Entry, EntryKind
from pilotage.fund.selectors import budget_overview, journal_totals
from pilotage.programmes.models import Programme

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
