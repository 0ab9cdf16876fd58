"""Reads of the results framework that need more than a filter."""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext

from pilotage.core import access
from pilotage.core.figures import cached as cached_figures
from pilotage.core.figures import token as figures_token
from pilotage.core.models import Organisation
from pilotage.core.roles import OrganisationKind
from pilotage.core.todo import TodoItem
from pilotage.programmes.models import Agreement, AgreementKind, AgreementParty
from pilotage.results import computations, semantics
from pilotage.results.models import (
    Evidence,
    Indicator,
    IndicatorSource,
    Measurement,
    MeasurementStatus,
    ReportingPeriod,
    Target,
)

# The figures computed from a plan's results (`core.figures`): its matrix. The models they are
# read from are declared in `ResultsConfig.ready`.
FIGURES = "results"


def current_target(indicator: Indicator, year: int) -> Target | None:
    """The target in force for that year: the one set by the latest amendment, else the original."""
    return (
        Target.objects.filter(indicator=indicator, year=year)
        .order_by(F("amendment__number").desc(nulls_last=True))
        .first()
    )


def latest_revision(indicator: Indicator, period, organisation) -> Measurement | None:
    return (
        Measurement.objects.filter(indicator=indicator, period=period, organisation=organisation)
        .order_by("-revision")
        .first()
    )


# --- contract reporting sheet and scorecard ---------------------------------------------------


NOT_STARTED, OVERDUE = "not_started", "overdue"


def contract_cti(agreement: Agreement) -> Organisation | None:
    """The CTI whose contract this is (its party of kind CTI)."""
    return contract_ctis([agreement]).get(agreement.pk)


def contract_ctis(agreements: list[Agreement]) -> dict[int, Organisation]:
    """The CTI of each contract (its party of kind CTI), by agreement id, in one query."""
    parties = AgreementParty.objects.filter(
        agreement__in=agreements, organisation__kind=OrganisationKind.CTI
    ).select_related("organisation")
    found: dict[int, Organisation] = {}
    for party in parties:
        found.setdefault(party.agreement_id, party.organisation)
    return found


def reporting_status(measurement: Measurement | None, period: ReportingPeriod, today: date) -> str:
    """Not started / draft / submitted / returned / validated, and overdue when the window has
    closed without a submitted or validated value."""
    done = measurement is not None and measurement.status in (
        MeasurementStatus.SUBMITTED,
        MeasurementStatus.VALIDATED,
    )
    if not done and period.closes_on < today:
        return OVERDUE
    return measurement.status if measurement is not None else NOT_STARTED


@dataclass(frozen=True)
class SheetRow:
    indicator: Indicator
    measurement: Measurement | None
    status: str
    target: Target | None
    computed: Decimal | None = None  # from the operational records, for a computed indicator


def reporting_sheet(agreement: Agreement, period: ReportingPeriod, user: Any) -> list[SheetRow]:
    """One row per indicator of the contract: its latest revision for the period and status."""
    cti = contract_cti(agreement)
    indicators = list(
        Indicator.objects.visible_to(user)
        .filter(objective__agreement=agreement)
        .select_related("objective")
        .order_by("objective__code", "code")
    )
    latest: dict[int, Measurement] = {}
    for m in (
        Measurement.objects.visible_to(user)
        .filter(indicator__in=indicators, period=period, organisation=cti)
        .select_related("submitted_by", "validated_by", "returned_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.visible_to(user)))
        .order_by("revision")
    ):
        latest[m.indicator_id] = m
    targets = targets_in_force([i.pk for i in indicators], period.year)
    computed = _computed({(cti.pk, period.year): indicators} if cti else {}, period.part)
    today = timezone.localdate()
    return [
        SheetRow(
            i,
            latest.get(i.pk),
            reporting_status(latest.get(i.pk), period, today),
            targets.get(i.pk),
            computed.get(i.pk),
        )
        for i in indicators
    ]


def _computed(
    indicators_of: dict[tuple[int, int], list[Indicator]], part: int = 0
) -> dict[int, Decimal | None]:
    """The computed values of the computed indicators among `indicators_of` (by (CTI id,
    year)), by indicator id: one reading per year, whatever the number of contracts."""
    years: dict[int, set[int]] = {}
    for cti_id, year in indicators_of:
        years.setdefault(year, set()).add(cti_id)
    found: dict[int, Decimal | None] = {}
    for year, cti_ids in years.items():
        wanted = {
            cti_id: [
                i
                for i in indicators_of[(cti_id, year)]
                if i.source == IndicatorSource.COMPUTED and i.computation
            ]
            for cti_id in cti_ids
        }
        if not any(wanted.values()):
            continue
        values = computations.computed_values(cti_ids, year, part)
        for cti_id, indicators in wanted.items():
            found.update({i.pk: computations.value_of(values, cti_id, i) for i in indicators})
    return found


def targets_in_force(indicator_ids: list[int], year: int) -> dict[int, Target]:
    in_force = targets_of_years(indicator_ids, {year})
    return {indicator_id: target for (indicator_id, _year), target in in_force.items()}


def targets_of_years(indicator_ids: list[int], years: set[int]) -> dict[tuple[int, int], Target]:
    """The target in force of each indicator for each of `years`, by (indicator id, year)
    (`target_values_of_years` reads only the values)."""
    read = _targets_in_amendment_order(indicator_ids, years).select_related("amendment")
    return {(target.indicator_id, target.year): target for target in read}


def _targets_in_amendment_order(indicator_ids: list[int], years: set[int]) -> QuerySet:
    """The targets of those indicators and years, the original target first and then each
    amendment's in order: read into a dict, the last one, in force, wins."""
    return Target.objects.filter(indicator__id__any=indicator_ids, year__in=years).order_by(
        F("amendment__number").asc(nulls_first=True)
    )


@dataclass(frozen=True)
class ScoreRow:
    indicator: Indicator
    target: Target | None
    actual: semantics.Aggregate
    achievement: Decimal | None
    status: semantics.Status
    trend: list[tuple[int, Decimal | None]]
    computed: Decimal | None = None  # from the operational records, for a computed indicator


def configured_bands() -> semantics.Bands:
    """The achievement bands set for this deployment (settings RESULTS_ON_TRACK / _AT_RISK)."""
    return semantics.Bands(Decimal(settings.RESULTS_ON_TRACK), Decimal(settings.RESULTS_AT_RISK))


def scorecard(
    agreement: Agreement, year: int, user: Any, bands: semantics.Bands | None = None
) -> list[ScoreRow]:
    """Each indicator's target, validated actual for the year (by its aggregation rule),
    achievement and status; plus the validated yearly figures for a trend line."""
    return scorecards([(agreement, year)], user, bands)[0]


def scorecards(
    contracts: list[tuple[Agreement, int]], user: Any, bands: semantics.Bands | None = None
) -> list[list[ScoreRow]]:
    """`scorecard` of several (contract, year), in order, in the queries of one: a CTI's or a
    federation's home page shows one per contract."""
    bands = bands or configured_bands()
    agreements = [agreement for agreement, _year in contracts]
    cti_of = contract_ctis(agreements)
    indicators = list(
        Indicator.objects.visible_to(user)
        .filter(objective__agreement__in=agreements)
        .annotate(contract_id=F("objective__agreement_id"))
        .order_by("code")
    )
    ctis = list(cti_of.values())
    validated = in_force(
        Measurement.objects.visible_to(user).filter(indicator__in=indicators, organisation__in=ctis)
    ).select_related("period")
    contract_of = {i.pk: i.contract_id for i in indicators}
    by_indicator: dict[int, list[Measurement]] = {}
    for m in validated:
        # A contract's indicators count its own CTI's values only.
        owner = cti_of.get(contract_of[m.indicator_id])
        if owner is not None and m.organisation_id == owner.pk:
            by_indicator.setdefault(m.indicator_id, []).append(m)
    year_of = {agreement.pk: year for agreement, year in contracts}
    targets = targets_of_years([i.pk for i in indicators], set(year_of.values()))
    indicators_of: dict[tuple[int, int], list[Indicator]] = {}
    for i in indicators:
        if i.contract_id in cti_of:
            key = (cti_of[i.contract_id].pk, year_of[i.contract_id])
            indicators_of.setdefault(key, []).append(i)
    computed = _computed(indicators_of)
    rows: dict[int, list[ScoreRow]] = {agreement.pk: [] for agreement in agreements}
    for indicator in indicators:
        rule = indicator.rule
        year = year_of[indicator.contract_id]
        measurements = by_indicator.get(indicator.pk, [])
        yearly: dict[int, semantics.Aggregate] = {}
        for y in sorted({m.period.year for m in measurements}):
            yearly[y] = semantics.aggregate_periods(
                rule, [_observation(m) for m in measurements if m.period.year == y]
            )
        actual = yearly.get(year, semantics.Aggregate(None))
        target = targets.get((indicator.pk, year))
        achieved = semantics.achievement(rule, actual.value, target.value if target else None)
        rows[indicator.contract_id].append(
            ScoreRow(
                indicator,
                target,
                actual,
                achieved,
                semantics.status(achieved, bands),
                [(y, a.value) for y, a in yearly.items()],
                computed.get(indicator.pk),
            )
        )
    return [rows[agreement.pk] for agreement in agreements]


def _observation(m: Measurement) -> semantics.Observation:
    return semantics.Observation(
        key=m.period.key, value=m.value, numerator=m.numerator, denominator=m.denominator
    )


def pending_reports(period: ReportingPeriod) -> dict[Organisation, list[Indicator]]:
    """For each CTI with a contract under the period's plan: its indicators without a submitted or
    validated value for that period (a draft or returned value still counts as pending)."""
    return pending_reports_of([period]).get(period, {})


def pending_reports_of(
    periods: list[ReportingPeriod],
) -> dict[ReportingPeriod, dict[Organisation, list[Indicator]]]:
    """`pending_reports` for several periods at once: three queries, however many periods."""
    done = set(
        Measurement.objects.filter(
            period__in=periods,
            status__in=(MeasurementStatus.SUBMITTED, MeasurementStatus.VALIDATED),
        ).values_list("period_id", "indicator_id", "organisation_id")
    )
    programmes = {period.programme_id for period in periods}
    indicators = list(
        Indicator.objects.filter(
            objective__programme__in=programmes, objective__agreement__isnull=False
        )
        .select_related("objective")
        .order_by("code")
    )
    ctis = {
        party.agreement_id: party.organisation
        for party in AgreementParty.objects.filter(
            agreement__objectives__programme__in=programmes,
            organisation__kind=OrganisationKind.CTI,
        ).select_related("organisation")
    }
    pending: dict[ReportingPeriod, dict[Organisation, list[Indicator]]] = {}
    for period in periods:
        for indicator in indicators:
            if indicator.objective.programme_id != period.programme_id:
                continue
            cti = ctis.get(indicator.objective.agreement_id)
            if cti is not None and (period.pk, indicator.pk, cti.pk) not in done:
                pending.setdefault(period, {}).setdefault(cti, []).append(indicator)
    return pending


def pending_counts_of(periods: list[ReportingPeriod]) -> dict[tuple[int, int], int]:
    """How many contract indicators each CTI has not yet reported (no submitted or validated
    value) for each period: (period id, CTI id) → count, for the counts above zero. Counted in
    SQL, two queries however many periods and values: what is expected of each CTI under each
    plan, less what it reported for each period."""
    contract_party = {
        "objective__agreement__isnull": False,
        "objective__agreement__parties__organisation__kind": OrganisationKind.CTI,
    }
    expected = {
        (programme_id, cti_id): count
        for programme_id, cti_id, count in Indicator.objects.filter(
            objective__programme__in={period.programme_id for period in periods}, **contract_party
        )
        .order_by()
        .values_list("objective__programme_id", "objective__agreement__parties__organisation_id")
        .annotate(count=Count("pk", distinct=True))
    }
    # The CTI's own contract indicators: the CTI is a party to the indicator's agreement. A
    # semi-join: the join it replaces read the agreements too, and PostgreSQL, expecting 1 % of
    # the rows it got, sorted them on disk (20 % slower at ten times national scale).
    own_contract = AgreementParty.objects.filter(
        agreement_id=OuterRef("indicator__objective__agreement_id"),
        organisation_id=OuterRef("organisation_id"),
    )
    reported = {
        (period_id, cti_id): count
        for period_id, cti_id, count in Measurement.objects.filter(
            Exists(own_contract),
            period__in=periods,
            status__in=(MeasurementStatus.SUBMITTED, MeasurementStatus.VALIDATED),
        )
        .order_by()
        .values_list("period_id", "organisation_id")
        .annotate(count=Count("indicator", distinct=True))
    }
    pending = {}
    for period in periods:
        for (programme_id, cti_id), count in expected.items():
            if programme_id == period.programme_id:
                missing = count - reported.get((period.pk, cti_id), 0)
                if missing > 0:
                    pending[(period.pk, cti_id)] = missing
    return pending


@dataclass(frozen=True)
class MatrixCell:
    actual: semantics.Aggregate
    target: Decimal | None
    achievement: Decimal | None
    status: semantics.Status


@dataclass(frozen=True)
class ProgrammeMatrix:
    codes: list[tuple[str, str, str]]  # (indicator code, name, kind: how its figures read)
    rows: list[tuple[Organisation, dict[str, MatrixCell]]]
    totals: dict[str, semantics.Aggregate]  # programme-wide, by each indicator's rule
    axis_of: dict[str, int | None] = field(default_factory=dict)  # code → its axis's number
    version: str = ""  # the `core.figures` token these figures were kept under


def in_force(measurements: QuerySet) -> QuerySet:
    """The validated revisions in force: a correction still in progress does not hide them."""
    # NOT EXISTS rather than a join on the reverse one-to-one: PostgreSQL estimates it right.
    validated_correction = Measurement.objects.filter(
        supersedes=OuterRef("pk"), status=MeasurementStatus.VALIDATED
    )
    return measurements.filter(status=MeasurementStatus.VALIDATED).exclude(
        Exists(validated_correction)
    )


def target_values_in_force(indicator_ids: list[int], year: int) -> dict[int, Decimal]:
    """The values of `targets_in_force`, without a model instance each (a national matrix reads
    thousands)."""
    in_force = target_values_of_years(indicator_ids, {year})
    return {indicator_id: value for (indicator_id, _year), value in in_force.items()}


def target_values_of_years(
    indicator_ids: list[int], years: set[int]
) -> dict[tuple[int, int], Decimal]:
    """The value of each indicator's target in force for each of `years`, by (indicator id,
    year), without a model instance each."""
    rows = _targets_in_amendment_order(indicator_ids, years).values_list(
        "indicator_id", "year", "value"
    )
    return {(indicator_id, year): value for indicator_id, year, value in rows}


def period_aggregates(
    measurements: QuerySet, rule_of: dict[int, semantics.IndicatorRule]
) -> dict[tuple[int, int], semantics.Aggregate]:
    """`semantics.aggregate_periods` of `measurements` of the indicators in `rule_of` (by id:
    each one's rule), for each (CTI id, indicator id), counted and summed in SQL: a national
    matrix would otherwise read tens of thousands of rows into Python. One grouped query, and
    one more for the last reported period of the cumulative indicators. Divisions stay in Python
    (`semantics.aggregate_totals`), so that the figures are the same exact decimals."""
    pair = Q(numerator__isnull=False, denominator__isnull=False)
    # Each query filters on its own list of indicator ids: with both lists, PostgreSQL no
    # longer combines the indexes of indicators and periods (measured: 36 ms against 6).
    measurements = measurements.order_by()
    grouped = (
        measurements.filter(indicator__id__any=list(rule_of))
        .values_list("organisation_id", "indicator_id")
        .annotate(
            periods=Count("pk"),
            values=Count("value"),
            total=Sum("value"),
            largest=Max("value"),
            pairs=Count("pk", filter=pair),
            numerator_total=Sum("numerator", filter=pair),
            denominator_total=Sum("denominator", filter=pair),
        )
    )
    cumulative = [
        pk
        for pk, rule in rule_of.items()
        if rule.aggregation is semantics.Aggregation.CUMULATIVE_LATEST
    ]
    latest: dict[tuple[int, int], tuple] = {}
    if cumulative:
        newest_first = Window(
            RowNumber(),
            partition_by=[F("organisation_id"), F("indicator_id")],
            order_by=[F("period__year").desc(), F("period__part").desc()],
        )
        last_reported = (
            measurements.filter(indicator__id__any=cumulative)
            .filter(Q(value__isnull=False) | pair)
            .annotate(newest=newest_first)
            .filter(newest=1)
            .values_list("organisation_id", "indicator_id", "value", "numerator", "denominator")
        )
        latest = {(cti, indicator): figures for cti, indicator, *figures in last_reported}
    aggregates = {}
    for cti, indicator, periods, values, total, largest, pairs, numerator, denominator in grouped:
        value, *last_pair = latest.get((cti, indicator), (None, None, None))
        totals = semantics.PeriodTotals(
            periods, values, total, largest, value, pairs, numerator, denominator,
            tuple(last_pair) if None not in last_pair else None,
        )  # fmt: skip
        aggregates[(cti, indicator)] = semantics.aggregate_totals(rule_of[indicator], totals)
    return aggregates


@dataclass(frozen=True)
class MatrixFigures:
    """A plan's matrix for a year as every CTI's figures, before anyone's reach: what the cache
    keeps."""

    codes: list[tuple[str, str, str]]
    rows: dict[int, dict[str, MatrixCell]]  # by CTI id: a cell per code
    totals: dict[str, semantics.Aggregate]
    axis_of: dict[str, int | None]
    reporting: frozenset[int]  # the CTIs that reported on these indicators, any year


def programme_matrix(
    programme,
    year: int,
    user: Any,
    axis=None,
    bands: semantics.Bands | None = None,
    *,
    cti: Organisation | None = None,
) -> ProgrammeMatrix:
    """CTI × indicator achievement for a year: the rows the user may see (only `cti`'s when it is
    given), and programme-wide totals rolled up by each indicator's rule from every CTI's
    validated values.

    The totals read all CTIs on purpose: DESIGN §5 lets every user see programme-wide aggregates
    (never another CTI's rows), so they are computed from an unrestricted query and only the
    rolled-up figure leaves this function."""
    version = figures_token(FIGURES)
    figures = matrix_figures(programme, year, axis, bands, version=version)
    shown = matrix_ctis(user, figures.reporting, cti)
    rows = [(organisation, figures.rows[organisation.pk]) for organisation in shown]
    return ProgrammeMatrix(figures.codes, rows, figures.totals, figures.axis_of, version)


def matrix_figures(
    programme, year: int, axis=None, bands: semantics.Bands | None = None, *, version: str = ""
) -> MatrixFigures:
    """Every CTI's figures of the plan's matrix for a year (one axis, or all), before anyone's
    reach: kept in the cache until a value, target or indicator changes (`core.figures`).
    `version`: the token the caller read first, when it keeps figures of its own built from
    these."""
    bands = bands or configured_bands()
    key = ("matrix", programme.pk, year, getattr(axis, "pk", None),
           bands.on_track, bands.at_risk, get_language())  # fmt: skip
    return cached_figures(
        FIGURES, key, lambda: _matrix_figures(programme, year, axis, bands),
        version=version or figures_token(FIGURES),
    )  # fmt: skip


def matrix_ctis(
    user: Any, reporting: frozenset[int], cti: Organisation | None = None
) -> list[Organisation]:
    """The CTIs whose matrix row the user may see (only `cti`, when it is given), by acronym."""
    ctis = Organisation.objects.visible_to(user).filter(
        kind=OrganisationKind.CTI, pk__any=list(reporting if cti is None else {cti.pk})
    )
    return matrix_rows_shown(user, reporting, ctis.order_by("acronym"))


def matrix_rows_shown(
    user: Any, reporting: frozenset[int], ctis: Iterable[Organisation]
) -> list[Organisation]:
    """Among `ctis` (visible to the user, in the order rows are shown), those whose matrix row
    the user may see: the CTIs that reported, whose values the user may read."""
    whole, readable = access.reading_reach(user, Measurement)
    return [cti for cti in ctis if cti.pk in reporting and (whole or cti.pk in readable)]


def _matrix_figures(programme, year: int, axis, bands: semantics.Bands) -> MatrixFigures:
    indicators = Indicator.objects.filter(
        objective__programme=programme, objective__agreement__isnull=False
    )
    if axis is not None:
        indicators = indicators.filter(Q(objective__axis=axis) | Q(objective__parent__axis=axis))
    # Each CTI has its own indicator under a shared code: one read gives every id its code, and
    # each code its rule and axis (a specific objective may take its axis from its parent).
    code_of: dict[int, str] = {}
    rules: dict[str, semantics.IndicatorRule] = {}
    axis_of: dict[str, int | None] = {}
    known_rules: dict[tuple[str, str, str], semantics.IndicatorRule] = {}
    # (No translated field read: `rewrite(False)` spares modeltranslation's work on each row.)
    read = indicators.rewrite(False).annotate(
        axis_number=Coalesce("objective__axis__number", "objective__parent__axis__number")
    )
    for pk, code, kind, direction, aggregation, axis_number in read.values_list(
        "pk", "code", "kind", "direction", "aggregation", "axis_number"
    ):
        code_of[pk] = code
        key = (kind, direction, aggregation)
        if key not in known_rules:
            known_rules[key] = semantics.IndicatorRule(kind, direction, aggregation)
        rules[code], axis_of[code] = known_rules[key], axis_number
    # The names of one indicator per code: a translated field costs a language fallback per row.
    one_per_code = {code: pk for pk, code in code_of.items()}
    names = dict(
        Indicator.objects.filter(pk__any=list(one_per_code.values()))
        .order_by()
        .values_list("code", "name")
    )
    # The ids as a list: PostgreSQL plans the measurement queries better than with a sub-query.
    indicator_ids = list(code_of)
    targets = target_values_in_force(indicator_ids, year)

    scope = in_force(Measurement.objects.filter(period__programme=programme, period__year=year))
    rule_of = {pk: rules[code] for pk, code in code_of.items()}
    everyone = {
        (cti_id, code_of[indicator_id]): (indicator_id, aggregate)
        for (cti_id, indicator_id), aggregate in period_aggregates(scope, rule_of).items()
    }
    # The CTIs that reported on these indicators, any year (their ids: as a sub-query of the
    # organisations, PostgreSQL scans it far more slowly).
    reporting = frozenset(
        Measurement.objects.filter(indicator__id__any=indicator_ids)
        .order_by()
        .values_list("organisation_id", flat=True)
        .distinct()
    )
    nothing = semantics.Aggregate(None)
    rows = {}
    for cti_id in reporting:
        cells = {}
        for code, rule in rules.items():
            indicator_id, actual = everyone.get((cti_id, code), (None, nothing))
            target = targets.get(indicator_id) if indicator_id else None
            achieved = semantics.achievement(rule, actual.value, target)
            cells[code] = MatrixCell(actual, target, achieved, semantics.status(achieved, bands))
        rows[cti_id] = cells
    by_code: dict[str, dict[Hashable, semantics.Aggregate]] = {code: {} for code in rules}
    for (cti_id, code), (_indicator_id, aggregate) in everyone.items():
        by_code[code][cti_id] = aggregate
    totals = {code: semantics.roll_up(rule, by_code[code]) for code, rule in rules.items()}
    codes = [(code, names[code], rules[code].kind.value) for code in sorted(names)]
    return MatrixFigures(codes, rows, totals, axis_of, reporting)


def cti_contracts(programme, ctis: list[Organisation], user: Any) -> dict[int, int]:
    """Each CTI's contrat-objectifs under the plan (CTI id → agreement id), among those the user
    may see: where a matrix cell leads (its scorecard)."""
    return dict(
        Agreement.objects.visible_to(user)
        .filter(
            programme=programme,
            kind=AgreementKind.CONTRAT_OBJECTIFS,
            parties__organisation__in=[organisation.pk for organisation in ctis],
        )
        .order_by("pk")
        .values_list("parties__organisation", "pk")
    )


def todo_items(user: Any) -> list[TodoItem]:
    """Values waiting for this person: to validate (ministry), returned or ready to submit
    (the CTI's manager), returned (its staff). Two queries whatever the volume."""
    is_reviewer = access.can(user, "review", Measurement)
    is_manager = access.can(user, "submit", Measurement)
    is_reporter = access.can(user, "enter", Measurement)
    if not (is_reviewer or is_reporter):
        return []
    with_value = Q(value__isnull=False) | Q(numerator__isnull=False)
    figures = Measurement.objects.visible_to(user).aggregate(
        submitted=Count("pk", filter=Q(status=MeasurementStatus.SUBMITTED)),
        submitted_since=Min("submitted_at", filter=Q(status=MeasurementStatus.SUBMITTED)),
        returned=Count("pk", filter=Q(status=MeasurementStatus.RETURNED)),
        returned_since=Min("returned_at", filter=Q(status=MeasurementStatus.RETURNED)),
        ready=Count("pk", filter=Q(status=MeasurementStatus.DRAFT) & with_value),
    )
    url = reverse("results:measurement_list")
    items = []
    if is_reviewer:
        items.append(TodoItem(
            ngettext("%(count)s value to validate", "%(count)s values to validate",
                     figures["submitted"]) % {"count": figures["submitted"]},
            figures["submitted"], f"{url}?status=submitted", oldest=figures["submitted_since"],
        ))  # fmt: skip
    if is_reporter:
        items.append(TodoItem(
            ngettext("%(count)s value returned for correction",
                     "%(count)s values returned for correction", figures["returned"])
            % {"count": figures["returned"]},
            figures["returned"], f"{url}?status=returned", oldest=figures["returned_since"],
            tone="danger",
        ))  # fmt: skip
    if is_manager:
        items.append(TodoItem(
            ngettext("%(count)s value ready to submit", "%(count)s values ready to submit",
                     figures["ready"]) % {"count": figures["ready"]},
            figures["ready"], f"{url}?status=draft",
        ))  # fmt: skip
    if is_reporter:
        items.extend(_values_to_enter(user))
    return items


def _values_to_enter(user: Any) -> list[TodoItem]:
    """The contract indicators with no value yet for a period whose window is open today
    (two queries: the open periods, then the indicators without a value in them)."""
    today = timezone.localdate()
    periods = list(
        ReportingPeriod.objects.visible_to(user).filter(
            is_open=True, opens_on__lte=today, closes_on__gte=today
        )
    )
    if not periods:
        return []
    entered = Measurement.objects.visible_to(user).filter(
        indicator=OuterRef("pk"),
        period__in=periods,
        period__programme=OuterRef("objective__programme"),
    )
    missing = (
        Indicator.objects.visible_to(user)
        .filter(
            objective__agreement__isnull=False,
            objective__programme__in={p.programme_id for p in periods},
        )
        .exclude(Exists(entered))
        .count()
    )
    closes = min(p.closes_on for p in periods)
    text = ngettext(
        "%(count)s value to enter before %(due)s",
        "%(count)s values to enter before %(due)s",
        missing,
    ) % {"count": missing, "due": closes.strftime("%d/%m/%Y")}
    link = reverse("programmes:agreement_list")
    return [TodoItem(text, missing, link, due=closes, tone="warning")]
