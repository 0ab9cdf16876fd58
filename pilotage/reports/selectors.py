"""The figures of a report edition, as of a date.

"As of a date" means what the platform held at the end of that day: ledger entries dated and
recorded by then, the revision of each value validated by then, and every other record as its
change history says it stood then (`core.audit.as_recorded`). An edition as of 31 December 2024
therefore gives the same figures today and next year, whatever was corrected since.

The figures are plain data, ready for JSON: sections of tables whose columns say what their
values are (a label, a year, a count, an amount, a rate), so that one structure feeds the PDF, the
workbook, the edition's page, the comparison with a published edition and the open data. Money
and rates are decimal strings (exact); names are kept apart, by language, under "names".
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone, translation

from pilotage.certification.models import Certificate, CertificateStatus, Laboratory, StaffCount
from pilotage.core.audit import as_recorded
from pilotage.core.models import Organisation
from pilotage.core.numbers import percent_of
from pilotage.core.roles import OrganisationKind
from pilotage.fund.models import Allocation
from pilotage.fund.selectors import Figures, line_figures
from pilotage.governance.models import (
    PENDING_FOLLOW_UP,
    PENDING_RECOMMENDATION,
    Decision,
    Recommendation,
)
from pilotage.prestations.models import SME_SIZES, ServiceDelivery, ServiceOffering
from pilotage.programmes.models import AgreementParty, Programme
from pilotage.projects.models import Project
from pilotage.reports.models import ReportKind
from pilotage.results import semantics
from pilotage.results.models import Indicator, Measurement, MeasurementStatus, Target
from pilotage.results.selectors import configured_bands
from pilotage.standards.models import StandardWork
from pilotage.training.models import Trainee, TraineeStatus

Table = dict[str, Any]  # {"columns": [[key, kind], …], "rows": [[value, …], …]}
Row = tuple[Any, ...]
Section = dict[str, Table]

# What a column's values are: the first columns of a table that are labels or years identify
# its rows (the comparison with a published edition matches rows on them).
LABEL, YEAR, TEXT, DATE = "label", "year", "text", "date"
COUNT, MONEY, RATE, FLAG = "count", "money", "rate", "flag"
KEY_KINDS = (LABEL, YEAR)
CENTIME = Decimal("0.01")


@dataclass(frozen=True)
class Scope:
    """What an edition covers: a plan, possibly one CTI, as of the end of a day."""

    kind: str
    programme: Programme
    cti: Organisation | None
    as_of: datetime.date
    # What the platform knows now of that date, corrections included (the comparison with a
    # published edition); by default, what it knew at the end of the as-of day.
    known_by: datetime.datetime | None = None

    @property
    def year(self) -> int:
        """The year the edition reports on: the as-of year, within the plan's years."""
        return max(self.programme.start_year, min(self.as_of.year, self.programme.end_year))

    @property
    def cutoff(self) -> datetime.datetime:
        """The end of the as-of day, where the platform runs (what was recorded before it counts)."""
        if self.known_by is not None:
            return self.known_by
        next_day = self.as_of + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(next_day, datetime.time.min))

    def of_cti(self, lookup: str) -> Q:
        """Rows of the edition's CTI (all rows for a plan-wide edition)."""
        return Q(**{lookup: self.cti}) if self.cti is not None else Q()


def table(columns: list[tuple[str, str]], rows: Iterable[Sequence[Any]]) -> Table:
    kinds = [kind for _key, kind in columns]
    return {
        "columns": [list(c) for c in columns],
        "rows": [[_plain(v, kind) for v, kind in zip(r, kinds, strict=True)] for r in rows],
    }


def _plain(value: Any, kind: str) -> Any:
    """A JSON value that keeps a decimal exact; amounts to the centime (a sum read back from
    SQLite may carry a float's tail); dates in ISO."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if kind == MONEY and value is not None:
        value = Decimal(value).quantize(CENTIME)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return value


def _round(value: Decimal | None) -> Decimal | None:
    """A value as the report prints it: four decimals at most (a percentage's ratio is long)."""
    return None if value is None else value.quantize(Decimal("0.0001"))


def _percent(ratio: Decimal | None) -> Decimal | None:
    return None if ratio is None else (ratio * 100).quantize(Decimal("0.1"))


def _in_languages(obj: Any, field: str) -> dict[str, str]:
    """{language: text} of a translated field, read under each language."""
    names = {}
    for code, _label in settings.LANGUAGES:
        with translation.override(code):
            names[code] = str(getattr(obj, field))
    return names


# --- money -------------------------------------------------------------------------------------


def money_section(scope: Scope, names: dict[str, Any]) -> Section:
    """Envelope and execution by axis, CTI and year: allocated, committed, paid, headroom."""
    programme = scope.programme
    figures = line_figures(programme, scope.as_of, known_by=scope.cutoff)
    lines = (
        Allocation.objects.filter(programme=programme)
        .filter(scope.of_cti("cti"))
        .order_by("axis__number", "cti__acronym", "year")
        .values_list("pk", "axis__number", "cti__acronym", "year")
    )
    by_line: list[Row] = []
    by_axis: defaultdict[int, Figures] = defaultdict(Figures)
    by_year: defaultdict[int, Figures] = defaultdict(Figures)
    total = Figures()
    for pk, number, acronym, year in lines:
        line = figures.get(pk, Figures())
        if not (line.allocated or line.committed or line.disbursed):
            continue
        by_line.append((str(number), acronym, year, *_money(line)))
        by_axis[number].add(line)
        by_year[year].add(line)
        total.add(line)
    axes = list(programme.axes.order_by("number"))
    names["axis"] = {str(axis.number): _in_languages(axis, "title") for axis in axes}
    plan_wide = scope.cti is None
    axis_rows = []
    for axis in axes:
        line = by_axis.get(axis.number, Figures())
        envelope = axis.envelope if plan_wide else None
        axis_rows.append(
            [str(axis.number), envelope, *_money(line), percent_of(line.disbursed, line.allocated)]
        )
    elapsed = _time_elapsed(programme, scope.as_of)
    envelope = programme.envelope if plan_wide else None
    money_columns = [("allocated", MONEY), ("committed", MONEY), ("paid", MONEY),
                     ("headroom", MONEY)]  # fmt: skip
    return {
        "total": table(
            [
                ("envelope", MONEY),
                *money_columns,
                ("paid_share_of_allocated", RATE),
                ("time_elapsed", RATE),
            ],
            [[envelope, *_money(total), percent_of(total.disbursed, total.allocated), elapsed]],
        ),
        "by_axis": table(
            [
                ("axis", LABEL),
                ("envelope", MONEY),
                *money_columns,
                ("paid_share_of_allocated", RATE),
            ],
            axis_rows,
        ),
        "by_year": table(
            [("year", YEAR), *money_columns],
            [[year, *_money(line)] for year, line in sorted(by_year.items())],
        ),
        "by_line": table(
            [("axis", LABEL), ("cti", LABEL), ("year", YEAR), *money_columns], by_line
        ),
    }


def _money(line: Figures) -> list[Decimal]:
    return [line.allocated, line.committed, line.disbursed, line.headroom]


def _time_elapsed(programme: Programme, as_of: datetime.date) -> Decimal:
    """Share of the plan's months gone by at the as-of date (for the burn rate)."""
    months = (programme.end_year - programme.start_year + 1) * 12
    gone = (as_of.year - programme.start_year) * 12 + as_of.month
    return percent_of(max(0, min(gone, months)), months) or Decimal(0)


# --- KPIs --------------------------------------------------------------------------------------


def kpi_section(scope: Scope, names: dict[str, Any]) -> Section:
    """Each contract indicator against its target for the year: validated value, achievement,
    band; and the validated value of every year of the plan so far (the trend)."""
    of_plan = Indicator.objects.filter(
        objective__programme=scope.programme, objective__agreement__isnull=False
    )
    if scope.cti is not None:
        of_plan = of_plan.filter(objective__agreement__parties__organisation=scope.cti)
    indicators = list(of_plan.order_by("code", "pk"))
    contract_cti = dict(
        AgreementParty.objects.filter(
            agreement__objectives__indicators__in=indicators,
            organisation__kind=OrganisationKind.CTI,
        ).values_list("agreement_id", "organisation__acronym")
    )
    agreement_of = dict(
        Indicator.objects.filter(pk__in=[i.pk for i in indicators]).values_list(
            "pk", "objective__agreement_id"
        )
    )
    observations: dict[tuple[int, int], list[semantics.Observation]] = defaultdict(list)
    for row in _validated_as_of(scope, indicators):
        indicator_id, year, part, value, numerator, denominator = row
        observations[(indicator_id, year)].append(
            semantics.Observation((year, part), value, numerator, denominator)
        )
    targets = _targets_as_of(scope, [i.pk for i in indicators])
    bands = configured_bands()
    achievement_rows: list[Row] = []
    trend_rows: list[Row] = []
    band_counts: defaultdict[str, int] = defaultdict(int)
    cti_bands: defaultdict[str, defaultdict[str, int]] = defaultdict(lambda: defaultdict(int))
    names["indicator"] = {}
    for indicator in indicators:
        rule = indicator.rule
        acronym = contract_cti.get(agreement_of[indicator.pk], "")
        if indicator.code not in names["indicator"]:  # contracts share their codes
            names["indicator"][indicator.code] = _in_languages(indicator, "name")
        yearly = {}
        for year in range(scope.programme.start_year, scope.year + 1):
            actual = semantics.aggregate_periods(rule, observations.get((indicator.pk, year), []))
            if actual.value is not None:
                yearly[year] = actual.value
                trend_rows.append((acronym, indicator.code, year, _round(actual.value)))
        # The latest year validated by the cutoff: a year's values are validated in the next.
        year = max(yearly, default=scope.year)
        target = targets.get((indicator.pk, year))
        achieved = semantics.achievement(rule, yearly.get(year), target)
        status = semantics.status(achieved, bands)
        band_counts[str(status)] += 1
        cti_bands[acronym][str(status)] += 1
        achievement_rows.append(
            (acronym, indicator.code, year, indicator.kind, target, _round(yearly.get(year)),
             _percent(achieved), str(status), indicator.is_public)
        )  # fmt: skip
    statuses = [str(status) for status in semantics.Status]
    return {
        "bands": table(
            [("status", LABEL), ("indicators", COUNT)],
            [[status, count] for status, count in sorted(band_counts.items())],
        ),
        "bands_by_cti": table(
            [("cti", LABEL), *((status, COUNT) for status in statuses)],
            [
                [acronym, *(counts[s] for s in statuses)]
                for acronym, counts in sorted(cti_bands.items())
            ],
        ),
        "achievement": table(
            [
                ("cti", LABEL),
                ("indicator", LABEL),
                ("year", YEAR),
                ("kind", TEXT),
                ("target", RATE),
                ("actual", RATE),
                ("achievement", RATE),
                ("status", TEXT),
                ("public", FLAG),
            ],
            achievement_rows,
        ),
        "trend": table(
            [("cti", LABEL), ("indicator", LABEL), ("year", YEAR), ("actual", RATE)], trend_rows
        ),
    }


def _validated_as_of(scope: Scope, indicators: list[Indicator]) -> Iterable[tuple]:
    """(indicator, year, part, value, numerator, denominator) of the revisions in force at the
    cutoff: validated by then, and not corrected by a revision validated by then."""
    # A validated value with no validation time (loaded before the platform recorded it) counts
    # as known from the start.
    validated = Q(status=MeasurementStatus.VALIDATED) & (
        Q(validated_at__lt=scope.cutoff) | Q(validated_at__isnull=True)
    )
    corrected = Measurement.objects.filter(validated, supersedes=OuterRef("pk"))
    rows = (
        Measurement.objects.filter(validated, indicator__in=indicators)
        .filter(period__programme=scope.programme, period__year__lte=scope.year)
        .filter(scope.of_cti("organisation"))
        .exclude(Exists(corrected))
        .order_by()
    )
    return rows.values_list(
        "indicator_id", "period__year", "period__part", "value", "numerator", "denominator"
    )


def _targets_as_of(scope: Scope, indicator_ids: list[int]) -> dict[tuple[int, int], Decimal]:
    """Each indicator's target per year as it stood: the latest amendment signed by then."""
    rows = (
        Target.objects.filter(indicator_id__in=indicator_ids, year__lte=scope.year)
        .filter(Q(amendment__isnull=True) | Q(amendment__signed_on__lte=scope.as_of))
        .filter(id__in=as_recorded(Target, scope.cutoff).values("id"))
        .order_by()
        .values_list("indicator_id", "year", "amendment__number", "value")
    )
    chosen: dict[tuple[int, int], tuple[int, Decimal]] = {}
    for indicator_id, year, number, value in rows:
        key = (indicator_id, year)
        if key not in chosen or (number or 0) > chosen[key][0]:
            chosen[key] = (number or 0, value)
    return {key: value for key, (_n, value) in chosen.items()}


# --- services to companies ---------------------------------------------------------------------


def services_section(scope: Scope, names: dict[str, Any]) -> Section:
    """Deliveries, companies served (of which small and medium), revenue: by CTI and year, by
    region, by category — the deliveries as recorded by the cutoff, started by the as-of date."""
    deliveries = (
        as_recorded(ServiceDelivery, scope.cutoff)
        .filter(started_on__lte=scope.as_of, started_on__year__gte=scope.programme.start_year)
        .filter(scope.of_cti("cti"))
    )
    measures = {
        "deliveries": Count("history_id"),
        "companies": Count("company_id", distinct=True),
        "smes": Count("company_id", distinct=True, filter=Q(company__size_class__in=SME_SIZES)),
        "revenue": Sum("amount_invoiced"),
    }
    columns = [("deliveries", COUNT), ("companies", COUNT), ("smes", COUNT),
               ("revenue", MONEY)]  # fmt: skip

    def grouped(*keys: str) -> list[list[Any]]:
        rows = deliveries.values(*keys).annotate(**measures).order_by(*keys)
        return [
            [*(row[k] for k in keys), row["deliveries"], row["companies"], row["smes"],
             row["revenue"] or Decimal(0)]
            for row in rows
        ]  # fmt: skip

    total = deliveries.aggregate(**measures)
    return {
        "total": table(
            columns,
            [
                [
                    total["deliveries"],
                    total["companies"],
                    total["smes"],
                    total["revenue"] or Decimal(0),
                ]
            ],
        ),
        "by_cti_year": table(
            [("cti", LABEL), ("year", YEAR), *columns],
            grouped("cti__acronym", "started_on__year"),
        ),
        "by_region": table([("region", LABEL), *columns], grouped("company__region")),
        "by_category": table([("category", LABEL), *columns], grouped("category")),
    }


# --- staff -------------------------------------------------------------------------------------


def staff_section(scope: Scope, names: dict[str, Any]) -> Section:
    """Headcount at the end of each year and the taux d'encadrement, per CTI and for the network
    (rolled up from the sums, never an average of rates)."""
    counts = (
        as_recorded(StaffCount, scope.cutoff)
        .filter(year__gte=scope.programme.start_year, year__lte=scope.year)
        .filter(scope.of_cti("cti"))
        .order_by("cti__acronym", "year")
        .values_list("cti__acronym", "year", "graduates", "technicians", "administrative")
    )
    per_cti: list[Row] = []
    network: defaultdict[int, list[int]] = defaultdict(lambda: [0, 0])
    for acronym, year, graduates, technicians, administrative in counts:
        total = graduates + technicians + administrative
        per_cti.append((acronym, year, graduates, technicians, administrative, total,
                        percent_of(graduates, total)))  # fmt: skip
        network[year][0] += graduates
        network[year][1] += total
    return {
        "by_year": table(
            [("year", YEAR), ("graduates", COUNT), ("staff", COUNT), ("supervision_rate", RATE)],
            [[year, g, t, percent_of(g, t)] for year, (g, t) in sorted(network.items())],
        ),
        "by_cti": table(
            [
                ("cti", LABEL),
                ("year", YEAR),
                ("graduates", COUNT),
                ("technicians", COUNT),
                ("administrative", COUNT),
                ("staff", COUNT),
                ("supervision_rate", RATE),
            ],
            per_cti,
        ),
    }


# --- laboratories, certificates, standards, projects, training ----------------------------------


def records_section(scope: Scope, names: dict[str, Any]) -> Section:
    """The other records of the plan, counted as they stood at the cutoff."""
    as_of, cutoff = scope.as_of, scope.cutoff
    labs = as_recorded(Laboratory, cutoff).filter(scope.of_cti("cti"))
    certificates = (
        as_recorded(Certificate, cutoff)
        .filter(issued_on__lte=as_of, issued_on__year__gte=scope.programme.start_year)
        .filter(scope.of_cti("cti"))
    )
    standards = (
        as_recorded(StandardWork, cutoff).filter(proposed_on__lte=as_of).filter(scope.of_cti("cti"))
    )
    projects = as_recorded(Project, cutoff).filter(starts_on__lte=as_of)
    if scope.cti is not None:
        projects = projects.filter(lead=scope.cti)
    trainees = as_recorded(Trainee, cutoff).filter(scope.of_cti("cohort__programme__organiser"))
    rows: list[list[Any]] = [
        ["laboratories", "in_service", labs.filter(is_active=True).count()],
        ["laboratories", "accredited", labs.filter(accredited_until__gte=as_of).count()],
        ["certificates", "issued", certificates.count()],
        [
            "certificates",
            "valid",
            certificates.filter(status=CertificateStatus.VALID, valid_until__gte=as_of).count(),
        ],
        ["standards", "in_progress", standards.filter(published_on__isnull=True).count()],
        ["standards", "published", standards.filter(published_on__lte=as_of).count()],
        ["projects", "started", projects.count()],
        ["projects", "completed", projects.filter(closed_on__lte=as_of).count()],
        ["training", "trainees", trainees.count()],
        ["training", "trainees_women", trainees.filter(sex="F").count()],
        ["training", "completed", trainees.filter(status=TraineeStatus.COMPLETED).count()],
    ]
    by_stage = standards.values("stage").annotate(n=Count("history_id")).order_by("stage")
    return {
        "counts": table([("record", LABEL), ("measure", LABEL), ("value", COUNT)], rows),
        "standards_by_stage": table(
            [("stage", LABEL), ("standards", COUNT)], [[r["stage"], r["n"]] for r in by_stage]
        ),
    }


# --- committee decisions and the evaluation's recommendations ------------------------------------


def governance_section(scope: Scope, names: dict[str, Any]) -> Section:
    """Decisions by year and kind, their follow-up, and the recommendations' follow-up, as they
    stood; overdue means past its due date at the as-of date and still pending."""
    as_of, cutoff = scope.as_of, scope.cutoff
    decisions = as_recorded(Decision, cutoff).filter(
        committee__programme=scope.programme, decided_on__lte=as_of
    )
    recommendations = as_recorded(Recommendation, cutoff).filter(
        evaluation__programme=scope.programme, evaluation__delivered_on__lte=as_of
    )
    late_decisions = Q(follow_up_status__in=PENDING_FOLLOW_UP, due_on__lt=as_of)
    late_recommendations = Q(status__in=PENDING_RECOMMENDATION, due_on__lt=as_of)
    by_year = (
        decisions.values("year", "kind").annotate(n=Count("history_id")).order_by("year", "kind")
    )
    follow_up = (
        decisions.values("follow_up_status")
        .annotate(n=Count("history_id"), late=Count("history_id", filter=late_decisions))
        .order_by("follow_up_status")
    )
    by_status = (
        recommendations.values("status")
        .annotate(n=Count("history_id"), late=Count("history_id", filter=late_recommendations))
        .order_by("status")
    )
    register = decisions.filter(year=scope.year).order_by("number")
    return {
        "decisions_by_year": table(
            [("year", YEAR), ("decision_kind", LABEL), ("decisions", COUNT)],
            [[r["year"], r["kind"], r["n"]] for r in by_year],
        ),
        "decision_follow_up": table(
            [("follow_up", LABEL), ("decisions", COUNT), ("overdue", COUNT)],
            [[r["follow_up_status"], r["n"], r["late"]] for r in follow_up],
        ),
        "register": table(
            [
                ("number", LABEL),
                ("decided_on", TEXT),
                ("decision_kind", TEXT),
                ("follow_up", TEXT),
                ("due_on", TEXT),
            ],
            [
                [
                    d.number,
                    d.decided_on.isoformat(),
                    d.kind,
                    d.follow_up_status,
                    d.due_on.isoformat() if d.due_on else "",
                ]
                for d in register
            ],
        ),
        "recommendations": table(
            [("recommendation_status", LABEL), ("recommendations", COUNT), ("overdue", COUNT)],
            [[r["status"], r["n"], r["late"]] for r in by_status],
        ),
    }


# --- the previous plan -------------------------------------------------------------------------


def comparison_section(scope: Scope, names: dict[str, Any]) -> Section:
    """This plan beside the one before it (2014-2020 for 2022-2025), from the ledger of each."""
    plans = [p for p in (scope.programme.predecessor, scope.programme) if p is not None]
    rows = []
    for plan in plans:
        lines = line_figures(plan, scope.as_of, known_by=scope.cutoff)
        total = Figures()
        for line in lines.values():
            total.add(line)
        # A plan whose ledger is not in the platform (kept before it) shows its envelope only.
        money = [total.allocated, total.committed, total.disbursed] if lines else [None] * 3
        paid = percent_of(total.disbursed, plan.envelope) if lines else None
        rows.append((plan.code, f"{plan.start_year}-{plan.end_year}", plan.envelope, *money, paid))
    return {
        "plans": table(
            [
                ("plan", LABEL),
                ("years", LABEL),
                ("envelope", MONEY),
                ("allocated", MONEY),
                ("committed", MONEY),
                ("paid", MONEY),
                ("paid_share_of_envelope", RATE),
            ],
            rows,
        )
    }


# --- the public registers, as open data ------------------------------------------------------------


def registers_section(scope: Scope, names: dict[str, Any]) -> Section:
    """What anyone may read, frozen with the edition for the open data: the public catalogue, the
    certificates valid at the date and the NM standards under way or published, as they stood."""
    as_of, cutoff = scope.as_of, scope.cutoff
    catalogue = (
        as_recorded(ServiceOffering, cutoff)
        .filter(is_public=True, is_active=True)
        .order_by("cti__acronym", "code")
        .values_list("cti__acronym", "code", "category", "sector", "title")
    )
    certificates = (
        as_recorded(Certificate, cutoff)
        .filter(status=CertificateStatus.VALID, issued_on__lte=as_of, valid_until__gte=as_of)
        .order_by("number")
        .values_list("number", "cti__acronym", "holder__name", "product", "referential",
                     "issued_on", "valid_until")
    )  # fmt: skip
    standards = (
        as_recorded(StandardWork, cutoff)
        .filter(proposed_on__lte=as_of)
        .order_by("reference")
        .values_list("reference", "cti__acronym", "title", "stage", "technical_committee",
                     "enquiry_opens_on", "enquiry_closes_on", "published_on")
    )  # fmt: skip
    return {
        "catalogue": table(
            [
                ("cti", LABEL),
                ("code", LABEL),
                ("category", TEXT),
                ("sector", TEXT),
                ("title", TEXT),
            ],
            catalogue,
        ),
        "certificates": table(
            [
                ("number", LABEL),
                ("cti", TEXT),
                ("holder", TEXT),
                ("product", TEXT),
                ("referential", TEXT),
                ("issued_on", DATE),
                ("valid_until", DATE),
            ],
            certificates,
        ),
        "standards": table(
            [
                ("reference", LABEL),
                ("cti", TEXT),
                ("title", TEXT),
                ("stage", TEXT),
                ("technical_committee", TEXT),
                ("enquiry_opens_on", DATE),
                ("enquiry_closes_on", DATE),
                ("published_on", DATE),
            ],
            standards,
        ),
    }


SectionBuilder = Callable[[Scope, dict[str, Any]], Section]
SECTIONS: dict[str, SectionBuilder] = {
    "money": money_section,
    "kpis": kpi_section,
    "services": services_section,
    "staff": staff_section,
    "records": records_section,
    "governance": governance_section,
    "comparison": comparison_section,
    "registers": registers_section,
}
# Sections for the open data only: the documents leave these long lists to the workbook.
OPEN_DATA_SECTIONS = ("registers",)
SECTIONS_OF: dict[str, tuple[str, ...]] = {
    ReportKind.PLAN_BILAN: tuple(SECTIONS),
    ReportKind.CTI_REPORT: ("money", "kpis", "services", "staff", "records"),
    ReportKind.COMMITTEE_FOLLOW_UP: ("governance", "money"),
}


def edition_figures(
    scope: Scope, progress: Callable[[str, int, int], None] | None = None
) -> dict[str, Any]:
    """Every section of the report as of the scope's date; `progress(section, done, total)` is
    told before each section."""
    keys = SECTIONS_OF[scope.kind]
    names: dict[str, Any] = {}
    sections = {}
    for done, key in enumerate(keys):
        if progress is not None:
            progress(key, done, len(keys))
        sections[key] = SECTIONS[key](scope, names)
    return {
        "report": scope.kind,
        "programme": scope.programme.code,
        "cti": scope.cti.acronym if scope.cti else None,
        "as_of": scope.as_of.isoformat(),
        "year": scope.year,
        "sections": sections,
        "names": names,
    }


# --- what changed since publication --------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    section: str
    table: str
    row: tuple[Any, ...]  # the row's labels
    column: str
    published: Any
    now: Any


def figures_changes(published: dict[str, Any], now: dict[str, Any]) -> list[Change]:
    """The cells whose value differs between a published edition's figures and the same figures
    computed again; a row only on one side shows with None on the other."""
    changes = []
    for section, tables in now["sections"].items():
        for name, current in tables.items():
            before = published["sections"].get(section, {}).get(name, {"rows": []})
            columns = [c[0] for c in current["columns"]]
            width = _key_width(current)
            old = {tuple(r[:width]): r for r in before["rows"]}
            new = {tuple(r[:width]): r for r in current["rows"]}
            for key in sorted(old.keys() | new.keys(), key=str):
                a, b = old.get(key), new.get(key)
                for i in range(width, len(columns)):
                    va = a[i] if a else None
                    vb = b[i] if b else None
                    if va != vb:
                        changes.append(Change(section, name, key, columns[i], va, vb))
    return changes


def _key_width(tab: Table) -> int:
    width = 0
    for _key, kind in tab["columns"]:
        if kind not in KEY_KINDS:
            break
        width += 1
    return width
