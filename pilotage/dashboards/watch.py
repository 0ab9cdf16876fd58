"""The watch list: early warnings computed from the records, never typed in by hand.

Each rule reads what the user may read (through `visible_to`; the indicator assessments, kept in
the cache for every CTI, through the same reach applied after), compares it with a threshold from
the settings (`WATCH_*`, `RESULTS_AT_RISK`, `ACCREDITATION_WARNING_DAYS`) and returns alerts that
say what is wrong, since when, and link to the records behind them. A rule runs a fixed number of
queries whatever the number of rows, so the list can sit on a home page.
"""

import datetime
import enum
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from operator import attrgetter, itemgetter
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Max, Min, Q, Sum, Window
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from pilotage.certification.models import Laboratory
from pilotage.core import access, figures
from pilotage.core.models import Organisation
from pilotage.core.numbers import format_percent
from pilotage.fund.models import Allocation, Entry, EntryKind
from pilotage.fund.selectors import time_elapsed
from pilotage.governance.models import PENDING_RECOMMENDATION, Recommendation
from pilotage.governance.selectors import followed_by, overdue_condition
from pilotage.programmes.models import AgreementParty, Programme
from pilotage.projects.filters import overdue_milestones
from pilotage.projects.models import Milestone
from pilotage.results import semantics
from pilotage.results.models import Indicator, Measurement, ReportingPeriod
from pilotage.results.selectors import FIGURES as RESULTS_FIGURES
from pilotage.results.selectors import (
    configured_bands,
    in_force,
    pending_counts_of,
    target_values_of_years,
)

ONE_DAY = datetime.timedelta(days=1)


class Rule(enum.StrEnum):
    FACET_LAG = "facet_lag"
    FACET_AHEAD = "facet_ahead"
    KPI_OFF_TRACK = "kpi_off_track"
    REPORTING_OVERDUE = "reporting_overdue"
    MILESTONE_SLIPPING = "milestone_slipping"
    RECOMMENDATION_OVERDUE = "recommendation_overdue"
    ACCREDITATION_EXPIRING = "accreditation_expiring"

    @property
    def label(self) -> str:
        return str(RULE_LABELS[self])


RULE_LABELS = {
    Rule.FACET_LAG: gettext_lazy("FACET payments lag the time elapsed"),
    Rule.FACET_AHEAD: gettext_lazy("FACET payments run ahead of the results"),
    Rule.KPI_OFF_TRACK: gettext_lazy("Indicators below the at-risk band"),
    Rule.REPORTING_OVERDUE: gettext_lazy("Values not reported after the window closed"),
    Rule.MILESTONE_SLIPPING: gettext_lazy("Project milestones slipping"),
    Rule.RECOMMENDATION_OVERDUE: gettext_lazy("Recommendations past due"),
    Rule.ACCREDITATION_EXPIRING: gettext_lazy("Accreditations expiring"),
}


@dataclass(frozen=True)
class Thresholds:
    """What makes each rule fire; read from the settings so a deployment can tune them."""

    facet_lag: Decimal  # points of time elapsed above the paid share (0.25 = 25 points)
    facet_ahead: Decimal  # points of paid share above the KPI achievement
    at_risk: Decimal  # achievement below this is off track (RESULTS_AT_RISK)
    mid_year: tuple[int, int]  # (month, day) from which a year's quarters are assessed
    accreditation_days: int  # an accreditation ending within this many days is flagged

    @classmethod
    def from_settings(cls) -> "Thresholds":
        month, day = (int(part) for part in settings.WATCH_MID_YEAR.split("-"))
        return cls(
            facet_lag=Decimal(settings.WATCH_FACET_LAG),
            facet_ahead=Decimal(settings.WATCH_FACET_AHEAD),
            at_risk=configured_bands().at_risk,
            mid_year=(month, day),
            accreditation_days=settings.ACCREDITATION_WARNING_DAYS,
        )


@dataclass(slots=True)  # not frozen: a national network raises tens of thousands, and frozen
class Alert:  # dataclasses set each field through object.__setattr__
    rule: Rule
    subject: str  # whom or what it is about: a CTI, a project, a laboratory
    reason: str  # the figures that make it fire, in words
    url: str  # the records behind it
    since: datetime.date  # the first day of the stretch during which it has held
    organisation_id: int | None = None

    @property
    def label(self) -> str:
        return self.rule.label


def watch_list(
    user: Any, today: datetime.date, thresholds: Thresholds | None = None
) -> list[Alert]:
    """Every alert the user may see, the longest-standing first."""
    watch = Watch(user, today, thresholds or Thresholds.from_settings())
    alerts = [alert for rule in RULES for alert in rule(watch)]
    return sorted(alerts, key=attrgetter("since", "rule", "subject"))


# A plan's last year is reported and paid in the year after it ends: it stays watched until then.
FOLLOW_UP_YEARS = 1


class Watch:
    """What the rules look at for one user on one day. What several rules need (the plans
    followed, each plan's indicator assessments) is read once and shared."""

    def __init__(self, user: Any, today: datetime.date, thresholds: Thresholds) -> None:
        self.user, self.today, self.thresholds = user, today, thresholds

    @cached_property
    def programmes(self) -> list[Programme]:
        """The plans that have started and are not yet a year past their end."""
        return list(
            Programme.objects.filter(
                start_year__lte=self.today.year, end_year__gte=self.today.year - FOLLOW_UP_YEARS
            ).order_by("start_year")
        )

    @cached_property
    def assessments(self) -> "dict[int, list[Assessment]]":
        """Each followed plan's indicator assessments (by plan id) of the CTIs whose values the
        user may read. Every CTI's are kept with the plans' results figures (`core.figures`:
        computed again once a value, target or indicator changes); the reach is applied here."""
        key = ("watch", *(programme.pk for programme in self.programmes), self.today,
               *self.thresholds.mid_year)  # fmt: skip
        every = figures.cached(
            RESULTS_FIGURES, key, lambda: _assessments(self.programmes, self.today, self.thresholds)
        )
        whole, readable = access.reading_reach(self.user, Measurement)
        if whole:
            return every
        return {plan: [a for a in rows if a.cti_id in readable] for plan, rows in every.items()}

    def acronyms(self, organisation_ids: Iterable[int]) -> dict[int, str]:
        return dict(
            Organisation.objects.filter(pk__in=organisation_ids).values_list("pk", "acronym")
        )


def _link(url_name: str, args: Iterable[Any] = (), **query: Any) -> str:
    url = reverse(url_name, args=list(args))
    return f"{url}?{urlencode(query)}" if query else url


# --- FACET money against time and results --------------------------------------------------------


@dataclass(frozen=True)
class MoneyState:
    """A CTI's allocated and paid totals from `day` on, until the next entry."""

    day: datetime.date
    allocated: Decimal
    paid: Decimal

    @property
    def paid_share(self) -> Decimal | None:
        return self.paid / self.allocated if self.allocated > 0 else None


def cti_money_states(
    user: Any, programmes: list[Programme], today: datetime.date
) -> dict[tuple[int, int], list]:
    """For each plan and each CTI whose lines the user may see, by (plan id, CTI id): the
    allocated and paid totals after each day with entries, in date order (two grouped queries
    over the journal, whatever the number of plans)."""
    lines = Allocation.objects.visible_to(user).filter(programme__in=programmes)
    entries = Entry.objects.filter(allocation__in=lines, entry_date__lte=today).order_by()
    changes: dict[tuple[int, int], dict[datetime.date, list[Decimal]]] = defaultdict(
        lambda: defaultdict(lambda: [Decimal(0), Decimal(0)])
    )
    rows = entries.values_list(
        "allocation__programme_id", "allocation__cti_id", "entry_date", "kind"
    ).annotate(Sum("amount"))
    for programme_id, cti_id, day, kind, amount in rows:
        change = changes[(programme_id, cti_id)][day]
        if kind == EntryKind.ALLOCATION:
            change[0] += amount
        elif kind == EntryKind.REALLOCATION:
            change[0] -= amount  # left this line (it arrives below, on its target's CTI)
        elif kind == EntryKind.DISBURSEMENT:
            change[1] += amount
    arriving = (
        Entry.objects.filter(target__in=lines, kind=EntryKind.REALLOCATION, entry_date__lte=today)
        .order_by()
        .values_list("target__programme_id", "target__cti_id", "entry_date")
        .annotate(Sum("amount"))
    )
    for programme_id, cti_id, day, amount in arriving:
        changes[(programme_id, cti_id)][day][0] += amount
    states: dict[tuple[int, int], list[MoneyState]] = {}
    for key, by_day in changes.items():
        allocated = paid = Decimal(0)
        states[key] = []
        for day in sorted(by_day):
            allocated += by_day[day][0]
            paid += by_day[day][1]
            states[key].append(MoneyState(day, allocated, paid))
    return states


def held_since(
    states: list[MoneyState],
    today: datetime.date,
    holds: Callable[[MoneyState, datetime.date], bool],
) -> datetime.date | None:
    """The first day of the unbroken stretch, ending today, on which `holds(state, day)` is true;
    None when it does not hold today. Within a state the condition may only switch on as days
    pass (time elapsed grows), so each state is bisected for its first day that holds."""
    since = None
    ends = [state.day - ONE_DAY for state in states[1:]] + [today]
    for state, last in reversed(list(zip(states, ends, strict=True))):
        if not holds(state, last):
            break
        first, day = state.day, last
        while first < day:  # the first day of [first, day] on which it holds
            middle = first + (day - first) // 2
            if holds(state, middle):
                day = middle
            else:
                first = middle + ONE_DAY
        since = day
        if day > state.day:
            break  # it did not hold on the state's first day: the stretch starts here
    return since


def facet_alerts(watch: Watch) -> list[Alert]:
    states = cti_money_states(watch.user, watch.programmes, watch.today)
    if not states:
        return []
    names = watch.acronyms({cti_id for _programme_id, cti_id in states})
    alerts = []
    for programme in watch.programmes:
        achievements = kpi_achievements(watch.assessments.get(programme.pk, []))
        for (programme_id, cti_id), cti_states in states.items():
            if programme_id == programme.pk:
                alerts += _facet_cti_alerts(
                    programme, cti_id, names[cti_id], cti_states, achievements.get(cti_id),
                    watch.today, watch.thresholds,
                )  # fmt: skip
    return alerts


def _facet_cti_alerts(
    programme: Programme,
    cti_id: int,
    name: str,
    states: list[MoneyState],
    achieved: tuple[Decimal, datetime.date] | None,
    today: datetime.date,
    thresholds: Thresholds,
) -> list[Alert]:
    alerts = []
    now = states[-1]
    journal = _link("fund:journal", programme=programme.pk, cti=cti_id)

    def lags(state: MoneyState, day: datetime.date) -> bool:
        share = state.paid_share
        return share is not None and time_elapsed(programme, day) - share >= thresholds.facet_lag

    since = held_since(states, today, lags)
    if since is not None:
        text = _("%(paid)s of its FACET allocation paid, %(elapsed)s of the plan's time elapsed.")
        figures = {"paid": format_percent(now.paid_share),
                   "elapsed": format_percent(time_elapsed(programme, today))}  # fmt: skip
        alerts.append(Alert(Rule.FACET_LAG, name, text % figures, journal, since, cti_id))
    if achieved is None or now.paid_share is None:
        return alerts
    score, known_on = achieved

    def ahead(state: MoneyState, day: datetime.date) -> bool:
        share = state.paid_share
        return share is not None and share - score >= thresholds.facet_ahead

    since = held_since(states, today, ahead)
    if since is not None:
        text = _("%(paid)s of its FACET allocation paid, indicators achieved at %(score)s on "
                 "average.")  # fmt: skip
        figures = {"paid": format_percent(now.paid_share), "score": format_percent(score)}
        # It holds since the later of the payment that put it ahead and the results it compares to.
        alerts.append(
            Alert(Rule.FACET_AHEAD, name, text % figures, journal, max(since, known_on), cti_id)
        )
    return alerts


# --- indicators --------------------------------------------------------------------------------


@dataclass(slots=True)  # not frozen, as Alert: a national network has thousands
class Assessment:
    """One contract indicator of one CTI measured against its target."""

    cti_id: int
    code: str
    year: int
    achievement: Decimal | None
    validated_on: datetime.date
    mid_year: bool  # a year still running, assessed on its quarters so far


def _assessments(
    programmes: list[Programme], today: datetime.date, thresholds: Thresholds
) -> "dict[int, list[Assessment]]":
    """By plan: each (CTI, indicator) of every CTI at its latest assessment: the year in progress
    on its validated quarters once mid-year has passed, else the latest year with a validated
    value. A summed indicator's target is pro-rated to the quarters reported (a flow half-way
    through the year is measured against half the target); the others are measured against the
    whole target."""
    mid_year = datetime.date(today.year, *thresholds.mid_year)
    assessed = Q(period__year__lt=today.year)
    if today >= mid_year:  # the year in progress is assessed from mid-year, on its quarters
        assessed |= Q(period__year=today.year, period__part__gt=0)
    values = (
        in_force(Measurement.objects.all())  # every CTI's: Watch.assessments applies the reach
        .filter(assessed, period__programme__in=programmes)
        .filter(indicator__objective__agreement__isnull=False)
        # Only each (CTI, indicator)'s latest year is assessed: the earlier ones are not read.
        .annotate(last_year=Window(Max("period__year"),
                                   partition_by=[F("organisation_id"), F("indicator_id")]))
        .filter(last_year=F("period__year"))
        # A value validated before validation times were kept is known from its window's close.
        .annotate(known_on=Coalesce(TruncDate("validated_at"), "period__closes_on"))
        .order_by()
        .values_list(
            "organisation_id", "indicator_id", "period__year", "period__part", "value",
            "numerator", "denominator", "known_on", "period__programme_id",
        )
    )  # fmt: skip
    by_key: dict[tuple[int, int], list] = defaultdict(list)
    years: dict[tuple[int, int], int] = {}
    plan_of: dict[int, int] = {}  # indicator id → its plan's (an indicator belongs to one plan)
    for cti_id, indicator_id, year, *period, known_on, plan in values:
        by_key[(cti_id, indicator_id)].append((*period, known_on))
        years[(cti_id, indicator_id)] = year
        plan_of[indicator_id] = plan
    # Each indicator's code and rule (plain values: a national network has thousands of them).
    rules: dict[tuple[str, str, str], semantics.IndicatorRule] = {}
    indicators = {}
    for pk, code, kind, direction, aggregation in (
        Indicator.objects.filter(pk__any=[key[1] for key in by_key])
        .rewrite(False)  # no translated field read: spares modeltranslation's work on each row
        .order_by()
        .values_list("pk", "code", "kind", "direction", "aggregation")
    ):
        key = (kind, direction, aggregation)
        if key not in rules:
            rules[key] = semantics.IndicatorRule(
                semantics.Kind(kind), semantics.Direction(direction),
                semantics.Aggregation(aggregation),
            )  # fmt: skip
        indicators[pk] = (code, rules[key])
    targets = target_values_of_years(list(indicators), set(years.values()))
    assessments: dict[int, list[Assessment]] = defaultdict(list)
    for (cti_id, indicator_id), rows in by_key.items():
        code, rule = indicators[indicator_id]
        year = years[(cti_id, indicator_id)]
        # One year's quarters of one indicator, from typed columns: in period order, they need
        # no checking as observations (a national network has tens of thousands).
        rows.sort(key=itemgetter(0))
        actual = semantics.aggregate_totals(
            rule, semantics.period_totals([(v, n, d) for _part, v, n, d, _on in rows])
        )
        target = targets.get((indicator_id, year))
        in_progress = year == today.year
        if target is not None and in_progress and rule.aggregation is semantics.Aggregation.SUM:
            target = target * len(rows) / 4
        validated_on = max(row[-1] for row in rows)
        assessments[plan_of[indicator_id]].append(
            Assessment(
                cti_id, code, year,
                semantics.achievement(rule, actual.value, target),
                max(validated_on, mid_year) if in_progress else validated_on, in_progress,
            )
        )  # fmt: skip
    return assessments


def kpi_achievements(
    assessments: list[Assessment],
) -> dict[int, tuple[Decimal, datetime.date]]:
    """Each CTI's indicators achieved on average (each capped at 100 %: beating one target does not
    make up for missing another) at their latest assessment, and when that became known."""
    scores: dict[int, list] = defaultdict(list)
    for a in assessments:
        if a.achievement is not None:
            scores[a.cti_id].append((min(a.achievement, Decimal(1)), a.validated_on))
    return {
        cti_id: (sum(s for s, _d in rows) / len(rows), max(d for _s, d in rows))
        for cti_id, rows in scores.items()
    }


def kpi_alerts(watch: Watch) -> list[Alert]:
    thresholds = watch.thresholds
    off: dict[tuple[int, int, int, bool], list[Assessment]] = defaultdict(list)
    for programme in watch.programmes:
        for a in watch.assessments.get(programme.pk, []):
            if a.achievement is not None and a.achievement < thresholds.at_risk:
                off[(programme.pk, a.cti_id, a.year, a.mid_year)].append(a)
    if not off:
        return []
    ctis = {key[1] for key in off}
    names = watch.acronyms(ctis)
    contracts = _contracts(watch.programmes, ctis)
    alerts = []
    for (programme_id, cti_id, year, mid_year), rows in off.items():
        codes = ", ".join(sorted(a.code for a in rows))
        if mid_year:
            text = ngettext(
                "%(count)s indicator below %(band)s of its target at mid-%(year)s: %(codes)s.",
                "%(count)s indicators below %(band)s of their targets at mid-%(year)s: %(codes)s.",
                len(rows),
            )
        else:
            text = ngettext(
                "%(count)s indicator below %(band)s of its %(year)s target: %(codes)s.",
                "%(count)s indicators below %(band)s of their %(year)s targets: %(codes)s.",
                len(rows),
            )
        figures = {"count": len(rows), "band": format_percent(thresholds.at_risk),
                   "year": year, "codes": codes}  # fmt: skip
        url = (
            _link("results:contract_scorecard", [contracts[(programme_id, cti_id)]], year=year)
            if (programme_id, cti_id) in contracts
            else _link("results:measurement_list", organisation=cti_id)
        )
        alerts.append(
            Alert(
                Rule.KPI_OFF_TRACK, names[cti_id], text % figures, url,
                max(a.validated_on for a in rows), cti_id,
            )
        )  # fmt: skip
    return alerts


def _contracts(programmes: list[Programme], cti_ids: set[int]) -> dict[tuple[int, int], int]:
    """Each CTI's contrat-objectifs under each plan, by (plan id, CTI id): the scorecard an alert
    links to (the latest signed, when there are several)."""
    rows = (
        AgreementParty.objects.filter(
            agreement__programme__in=programmes,
            agreement__kind="contrat_objectifs",
            organisation__in=cti_ids,
        )
        .order_by("agreement__signed_on")
        .values_list("agreement__programme_id", "organisation_id", "agreement_id")
    )
    return {(programme_id, cti_id): agreement_id for programme_id, cti_id, agreement_id in rows}


def reporting_alerts(watch: Watch) -> list[Alert]:
    """A CTI with contract indicators still unreported (no submitted or validated value) for a
    period whose submission window has closed."""
    whole, readable = access.reading_reach(watch.user, Measurement)
    periods = list(
        ReportingPeriod.objects.filter(
            programme__in=watch.programmes, closes_on__lt=watch.today
        ).order_by("year", "part")
    )
    pending = {
        key: count
        for key, count in pending_counts_of(periods).items()
        if whole or key[1] in readable
    }
    names = dict(
        Organisation.objects.filter(pk__in={cti_id for _p, cti_id in pending}).values_list(
            "pk", "acronym"
        )
    )
    measurements = reverse("results:measurement_list")
    alerts = []
    for period in periods:
        for (period_id, cti_id), count in pending.items():
            if period_id != period.pk:
                continue
            text = ngettext(
                "%(count)s value for %(period)s not reported; the window closed on %(closed)s.",
                "%(count)s values for %(period)s not reported; the window closed on %(closed)s.",
                count,
            ) % {"count": count, "period": period,
                 "closed": period.closes_on.strftime("%d/%m/%Y")}  # fmt: skip
            url = f"{measurements}?period={period.pk}&organisation={cti_id}"
            alerts.append(
                Alert(
                    Rule.REPORTING_OVERDUE, names[cti_id], text, url,
                    period.closes_on + ONE_DAY, cti_id,
                )
            )  # fmt: skip
    return alerts


# --- projects, governance, laboratories ---------------------------------------------------------


def milestone_alerts(watch: Watch) -> list[Alert]:
    rows = (
        Milestone.objects.visible_to(watch.user)
        .filter(overdue_milestones(watch.today))
        .values_list("project_id", "project__code", "project__lead_id")
        .annotate(count=Count("pk"), first=Min("due_on"))
        .order_by()
    )
    # Translated, reversed and formatted once each, not per alert: a national network has
    # thousands.
    milestones = reverse("projects:milestone_list")
    wordings: dict[int, str] = {}
    days: dict[datetime.date, str] = {}
    alerts = []
    for project_id, code, lead_id, count, first in rows:
        if count not in wordings:
            wordings[count] = ngettext(
                "%(count)s milestone past due, the first since %(due)s.",
                "%(count)s milestones past due, the first since %(due)s.",
                count,
            )
        if first not in days:
            days[first] = first.strftime("%d/%m/%Y")
        text = wordings[count] % {"count": count, "due": days[first]}
        url = f"{milestones}?project={project_id}&overdue=true"
        alerts.append(Alert(Rule.MILESTONE_SLIPPING, code, text, url, first + ONE_DAY, lead_id))
    return alerts


def recommendation_alerts(watch: Watch) -> list[Alert]:
    mine = followed_by(watch.user)
    if mine is None:
        return []
    alerts = []
    overdue = overdue_condition("status", PENDING_RECOMMENDATION, watch.today)
    rows = (
        Recommendation.objects.visible_to(watch.user)
        .filter(mine, overdue)
        .select_related("evaluation")
        .order_by("due_on")
    )
    for recommendation in rows:
        text = _("Due on %(due)s, still %(status)s.") % {
            "due": recommendation.due_on.strftime("%d/%m/%Y"),
            "status": recommendation.get_status_display().lower(),
        }
        alerts.append(
            Alert(
                Rule.RECOMMENDATION_OVERDUE, str(recommendation), text,
                recommendation.get_absolute_url(), recommendation.due_on + ONE_DAY,
                recommendation.owner_id,
            )
        )  # fmt: skip
    return alerts


def accreditation_alerts(watch: Watch) -> list[Alert]:
    today = watch.today
    window = datetime.timedelta(days=watch.thresholds.accreditation_days)
    laboratories = (
        Laboratory.objects.visible_to(watch.user)
        .filter(is_active=True, accredited_until__lte=today + window)
        .select_related("cti")
        .order_by("accredited_until")
    )
    alerts = []
    for laboratory in laboratories:
        until = laboratory.accredited_until
        text = (
            _("Accreditation expired on %(date)s.")
            if until < today
            else _("Accreditation ends on %(date)s.")
        ) % {"date": until.strftime("%d/%m/%Y")}
        alerts.append(
            Alert(
                Rule.ACCREDITATION_EXPIRING, f"{laboratory.cti.acronym} — {laboratory.name}",
                text, laboratory.get_absolute_url(), until - window, laboratory.cti_id,
            )
        )  # fmt: skip
    return alerts


RULES = [
    facet_alerts,
    kpi_alerts,
    reporting_alerts,
    milestone_alerts,
    recommendation_alerts,
    accreditation_alerts,
]
