"""Reads behind the home pages: the plan at a glance, a CTI's contract at a glance.

Every figure comes with the link to the filtered list that makes it up, and every queryset goes
through `visible_to`: a CTI user's glance counts their own records (and the plan's totals that
DESIGN §5 lets everyone see), never another CTI's.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pilotage.certification.models import Certificate, CertificateStatus
from pilotage.core import access
from pilotage.core.regions import Region
from pilotage.core.roles import CTI_ROLES, GLOBAL_ROLES, Role
from pilotage.fund.selectors import Node, budget_overview, time_elapsed
from pilotage.prestations.models import SME_SIZES, ServiceDelivery
from pilotage.prestations.selectors import delivery_totals
from pilotage.programmes.models import Agreement, AgreementKind, Programme
from pilotage.projects.models import Project, ProjectStatus
from pilotage.results import semantics
from pilotage.results.models import Indicator, Measurement
from pilotage.results.selectors import ScoreRow, in_force, programme_matrix, scorecards
from pilotage.standards.models import StandardWork
from pilotage.training.models import Trainee, TraineeStatus

STATUSES = [semantics.Status.ON_TRACK, semantics.Status.AT_RISK, semantics.Status.OFF_TRACK]


def may_read(user: Any, model: type) -> bool:
    whole, organisations = access.reading_reach(user, model)
    return whole or bool(organisations)


def link(url_name: str, args: Any = (), **query: Any) -> str:
    url = reverse(url_name, args=list(args))
    return f"{url}?{urlencode(query)}" if query else url


@dataclass(frozen=True)
class Figure:
    """One number of a dashboard and the list that makes it up."""

    label: str
    value: Any
    url: str
    kind: str = "count"  # count | money | percent: how the template writes it


@dataclass
class Bands:
    """How many (CTI, indicator) pairs are on track, at risk, off track: one row of the bands."""

    label: str
    url: str
    counts: Counter = field(default_factory=Counter)

    @property
    def assessed(self) -> int:
        return sum(self.counts[status] for status in STATUSES)

    def cells(self) -> list[tuple[str, int]]:
        return [(status, self.counts[status]) for status in STATUSES]


@dataclass(frozen=True)
class PlanGlance:
    programme: Programme
    money: Node
    time_elapsed: Decimal
    kpi_year: int | None
    bands_by_axis: list[Bands]
    bands_by_cti: list[Bands]
    services: list[Figure]
    records: list[Figure]


def current_programme(user: Any, today: datetime.date) -> Programme | None:
    """The plan running today (else the latest one) that the user may see."""
    programmes = Programme.objects.visible_to(user)
    running = programmes.filter(start_year__lte=today.year, end_year__gte=today.year)
    # Plans starting the same year tie: the longest, then the latest recorded, so the choice never
    # rests on the database's row order.
    newest = ("-start_year", "-end_year", "-pk")
    return running.order_by(*newest).first() or programmes.order_by(*newest).first()


def latest_validated_year(programme: Programme, user: Any, today: datetime.date) -> int | None:
    """The last year of the plan with validated values the user may read (the year KPIs are shown
    for: the year in progress has none until its first quarter is validated)."""
    return latest_validated_years([programme], user, today).get(programme.pk)


def latest_validated_years(
    programmes: list[Programme], user: Any, today: datetime.date
) -> dict[int, int]:
    """`latest_validated_year` of several plans in one query, by plan id (a plan with none is
    left out)."""
    years = in_force(Measurement.objects.visible_to(user)).filter(
        period__programme__in=programmes, period__year__lte=today.year
    )
    return dict(
        years.order_by()
        .values("period__programme")
        .annotate(latest=Max("period__year"))
        .values_list("period__programme", "latest")
    )


def kpi_bands(programme: Programme, year: int, user: Any) -> tuple[list[Bands], list[Bands]]:
    """The statuses of the contract indicators for the year, counted by axis and by CTI (the rows
    the user may see), each row linked to the results matrix or the CTI's scorecard."""
    matrix = programme_matrix(programme, year, user)
    axis_of = dict(
        Indicator.objects.filter(objective__programme=programme, objective__agreement__isnull=False)
        .annotate(number=Coalesce("objective__axis__number", "objective__parent__axis__number"))
        .values_list("code", "number")
    )
    axes = {a.number: a for a in programme.axes.all()}
    by_axis: dict[int, Bands] = {}
    by_cti: list[Bands] = []
    contracts = dict(
        Agreement.objects.visible_to(user)
        .filter(programme=programme, kind=AgreementKind.CONTRAT_OBJECTIFS)
        .filter(parties__organisation__in=[cti for cti, _cells in matrix.rows])
        .values_list("parties__organisation", "pk")
    )
    for cti, cells in matrix.rows:
        url = (
            link("results:contract_scorecard", [contracts[cti.pk]], year=year)
            if cti.pk in contracts
            else link("results:programme_results", [programme.pk], year=year)
        )
        row = Bands(cti.acronym, url)
        for code, cell in cells.items():
            row.counts[cell.status] += 1
            number = axis_of.get(code)
            if number in axes:
                if number not in by_axis:
                    by_axis[number] = Bands(
                        _("Axis %(number)s") % {"number": number},
                        link("results:programme_results", [programme.pk], year=year,
                             axis=axes[number].pk),
                    )  # fmt: skip
                by_axis[number].counts[cell.status] += 1
        by_cti.append(row)
    return [by_axis[n] for n in sorted(by_axis)], by_cti


def service_figures(user: Any, programme: Programme) -> list[Figure]:
    """Deliveries, companies served (of which SMEs) and revenue over the plan's years."""
    deliveries = ServiceDelivery.objects.visible_to(user).filter(
        started_on__year__gte=programme.start_year, started_on__year__lte=programme.end_year
    )
    totals = delivery_totals(
        deliveries,
        smes=Count("company", distinct=True, filter=Q(company__size_class__in=SME_SIZES)),
    )
    url = link("services:delivery_list")
    return [
        Figure(_("Deliveries"), totals["deliveries"], url),
        Figure(_("Companies served"), totals["companies"], url),
        Figure(
            _("of which SMEs (TPE, PME)"),
            totals["smes"],
            link("services:delivery_list", sme="true"),
        ),
        Figure(_("Revenue invoiced"), totals["amount"], url, "money"),
    ]


def record_figures(user: Any) -> list[Figure]:
    """Certificates, standards, projects and training, as far as the user may read them."""
    counted = [
        (Certificate, Q(status=CertificateStatus.VALID), _("Valid certificates"),
         link("certification:certificate_list", status=CertificateStatus.VALID)),
        (StandardWork, Q(), _("Standards in the works"), link("standards:standardwork_list")),
        (Project, Q(status=ProjectStatus.IN_PROGRESS), _("Projects in progress"),
         link("projects:project_list", status=ProjectStatus.IN_PROGRESS)),
        (Trainee, Q(status=TraineeStatus.COMPLETED), _("Trainees who completed"),
         link("training:trainee_list", status=TraineeStatus.COMPLETED)),
    ]  # fmt: skip
    return [
        Figure(label, access.rows(model).visible_to(user).filter(condition).count(), url)
        for model, condition, label, url in counted
        if may_read(user, model)
    ]


def plan_glance(user: Any, today: datetime.date) -> PlanGlance | None:
    programme = current_programme(user, today)
    if programme is None:
        return None
    year = latest_validated_year(programme, user, today)
    by_axis, by_cti = kpi_bands(programme, year, user) if year else ([], [])
    return PlanGlance(
        programme, budget_overview(user, programme, today), time_elapsed(programme, today), year,
        by_axis, by_cti, service_figures(user, programme), record_figures(user),
    )  # fmt: skip


@dataclass(frozen=True)
class ContractGlance:
    """A contrat-objectifs seen by its CTI (or its federation): the year's scorecard."""

    agreement: Agreement
    year: int
    rows: list[ScoreRow]
    bands: Bands


def contract_glances(user: Any, today: datetime.date) -> list[ContractGlance]:
    """The contrats-objectifs of the organisations the user belongs to (not every contract they
    may read: a ministry officer's home is the plan's), each at its latest validated year."""
    mine = {grant.organisation_id for grant in access.grants_of(user)}
    contracts = (
        Agreement.objects.visible_to(user)
        .filter(kind=AgreementKind.CONTRAT_OBJECTIFS, parties__organisation__in=mine)
        .select_related("programme")
        .distinct()
        .order_by("-signed_on", "reference")
    )
    agreements = list(contracts)
    years = latest_validated_years([a.programme for a in agreements], user, today)
    chosen = [
        (agreement, years.get(agreement.programme_id, today.year)) for agreement in agreements
    ]
    glances = []
    for (agreement, year), rows in zip(chosen, scorecards(chosen, user), strict=True):
        url = link("results:contract_scorecard", [agreement.pk], year=year)
        bands = Bands(agreement.reference, url, Counter(row.status for row in rows))
        glances.append(ContractGlance(agreement, year, rows, bands))
    return glances


def home_panels(user: Any) -> set[str]:
    """Which panels the user's home page shows, from their roles."""
    roles = access.roles_of(user)
    panels = set()
    if roles & GLOBAL_ROLES or user.is_superuser:
        panels.add("plan")
    if roles & (CTI_ROLES | {Role.FEDERATION_VIEWER}):
        panels.add("contracts")
    if roles & {Role.CID_MANAGER, Role.PARTNER_VIEWER}:
        panels.add("partnership")
    return panels


def partnership_figures(user: Any) -> list[Figure]:
    """For the CID and partners: their joint projects and the training they run with the CTIs."""
    projects = Project.objects.visible_to(user).order_by()
    counts = projects.aggregate(
        running=Count("pk", filter=Q(status=ProjectStatus.IN_PROGRESS)), all=Count("pk")
    )
    figures = [
        Figure(_("Projects in progress"), counts["running"],
               link("projects:project_list", status=ProjectStatus.IN_PROGRESS)),
        Figure(_("Projects"), counts["all"], link("projects:project_list")),
    ]  # fmt: skip
    trainees = Trainee.objects.visible_to(user).order_by()
    done = trainees.aggregate(
        all=Count("pk"), completed=Count("pk", filter=Q(status=TraineeStatus.COMPLETED))
    )
    figures += [
        Figure(_("Trainees"), done["all"], link("training:trainee_list")),
        Figure(_("Trainees who completed"), done["completed"],
               link("training:trainee_list", status=TraineeStatus.COMPLETED)),
    ]  # fmt: skip
    return figures


# --- the map of the regions --------------------------------------------------------------------

REGION_MEASURES = {
    "companies": gettext_lazy("Companies served"),
    "deliveries": gettext_lazy("Deliveries"),
    "revenue": gettext_lazy("Revenue invoiced (MDH)"),
    "projects": gettext_lazy("Projects"),
}


@dataclass(frozen=True)
class RegionFigures:
    """One region's figures and the lists they count (deliveries by the company's region, projects
    by their own); `year` None counts every year."""

    code: str
    name: str
    deliveries: int
    companies: int
    revenue: Decimal
    projects: int
    deliveries_url: str
    projects_url: str

    def value(self, measure: str) -> Any:
        return getattr(self, measure)


def region_figures(user: Any, year: int | None) -> list[RegionFigures]:
    """The twelve regions' figures from the rows the user may read (two grouped queries)."""
    deliveries = ServiceDelivery.objects.visible_to(user).order_by()
    if year is not None:
        deliveries = deliveries.filter(started_on__year=year)
    served = {
        row["company__region"]: row
        for row in deliveries.values("company__region").annotate(
            deliveries=Count("pk"),
            companies=Count("company", distinct=True),
            revenue=Coalesce(Sum("amount_invoiced"), Decimal(0)),
        )
    }
    projects = dict(
        Project.objects.visible_to(user)
        .exclude(region="")
        .order_by()
        .values_list("region")
        .annotate(Count("pk"))
    )
    year_filter = {"year": year} if year is not None else {}
    regions = []
    for code, name in Region.choices:
        figures = served.get(code, {})
        regions.append(
            RegionFigures(
                code, str(name), figures.get("deliveries", 0), figures.get("companies", 0),
                figures.get("revenue", Decimal(0)), projects.get(code, 0),
                link("services:delivery_list", region=code, **year_filter),
                link("projects:project_list", region=code),
            )
        )  # fmt: skip
    return regions
