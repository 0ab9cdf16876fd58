"""Reads of training that need more than a filter: a programme's figures (trainees, women,
hours, completion), each session's attendance grid, and the computed KPIs the contrats-objectifs
and the CID's contracts can target (results.computations)."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pilotage.core import signing
from pilotage.core.numbers import percent_of
from pilotage.results.computations import Values, period_bounds
from pilotage.training.models import (
    Attendance,
    Sex,
    Trainee,
    TraineeStatus,
    TrainingProgramme,
    TrainingSession,
)

# What a computed indicator may count in training (per organising CTI and period; a trainee
# counts in the period their cohort starts, hours in the period the session is held).
COMPUTATIONS: list[tuple[str, Any]] = [
    ("trainees", _("Trainees enrolled")),
    ("trainees_women", _("Women among trainees enrolled")),
    ("training_hours", _("Training hours (hours attended, all trainees)")),
    ("trainees_completed", _("Trainees who completed")),
    ("training_completion_rate", _("Completion rate of trainees assessed (%)")),
    ("training_women_share", _("Share of women among trainees enrolled (%)")),
]


def _percent(part: Any, whole: Any) -> Decimal:
    rate = percent_of(part, whole)
    return Decimal(0) if rate is None else rate  # a KPI figure: 0 where there is nothing yet


def computed_actuals(*, cti_ids: Iterable[int], year: int, part: int = 0) -> Values:
    """Training computations for these organising CTIs and period, in two grouped queries."""
    ids = list(cti_ids)
    first, last = period_bounds(year, part)
    trainees = (
        Trainee.objects.filter(cohort__programme__organiser__in=ids,
                               cohort__starts_on__range=(first, last))
        .values(cti_id=F("cohort__programme__organiser_id"))
        .annotate(
            trainees=Count("pk"),
            women=Count("pk", filter=Q(sex=Sex.FEMALE)),
            completed=Count("pk", filter=Q(status=TraineeStatus.COMPLETED)),
            assessed=Count("pk", filter=~Q(status=TraineeStatus.ENROLLED)),
        )
        .order_by()
    )  # fmt: skip
    hours = (
        Attendance.objects.filter(session__cohort__programme__organiser__in=ids,
                                  session__held_on__range=(first, last))
        .values(cti_id=F("session__cohort__programme__organiser_id"))
        .annotate(total=Sum("hours"))
        .order_by()
    )  # fmt: skip
    values: Values = {cti_id: {} for cti_id in ids}
    for row in trainees:
        values[row["cti_id"]].update({
            ("trainees", ""): Decimal(row["trainees"]),
            ("trainees_women", ""): Decimal(row["women"]),
            ("trainees_completed", ""): Decimal(row["completed"]),
            ("training_completion_rate", ""): _percent(row["completed"], row["assessed"]),
            ("training_women_share", ""): _percent(row["women"], row["trainees"]),
        })  # fmt: skip
    for hours_row in hours:
        values[hours_row["cti_id"]][("training_hours", "")] = Decimal(hours_row["total"] or 0)
    return values


@dataclass(frozen=True)
class ProgrammeFigures:
    trainees: int
    women: int
    completed: int
    assessed: int
    sessions: int
    session_hours: Decimal  # hours taught (sum of the sessions' lengths)
    hours_attended: Decimal  # trainee-hours

    @property
    def women_share(self) -> Decimal:
        return _percent(self.women, self.trainees)

    @property
    def completion_rate(self) -> Decimal:
        return _percent(self.completed, self.assessed)


def programme_figures(programme: TrainingProgramme) -> ProgrammeFigures:
    """The programme's figures in three aggregate queries, whatever its size."""
    trainees = Trainee.objects.filter(cohort__programme=programme).aggregate(
        trainees=Count("pk"),
        women=Count("pk", filter=Q(sex=Sex.FEMALE)),
        completed=Count("pk", filter=Q(status=TraineeStatus.COMPLETED)),
        assessed=Count("pk", filter=~Q(status=TraineeStatus.ENROLLED)),
    )
    sessions = TrainingSession.objects.filter(cohort__programme=programme).aggregate(
        sessions=Count("pk"), hours=Sum("hours")
    )
    attended = Attendance.objects.filter(session__cohort__programme=programme).aggregate(
        total=Sum("hours")
    )
    return ProgrammeFigures(
        trainees=trainees["trainees"], women=trainees["women"], completed=trainees["completed"],
        assessed=trainees["assessed"], sessions=sessions["sessions"],
        session_hours=sessions["hours"] or Decimal(0),
        hours_attended=attended["total"] or Decimal(0),
    )  # fmt: skip


def trainees_with_hours(user: Any) -> Any:
    """The trainees the user may see, each with the hours attended and the hours of their
    cohort's sessions, in subqueries so that the list stays one query."""
    attended = Attendance.objects.filter(trainee=OuterRef("pk")).values("trainee")
    held = TrainingSession.objects.filter(cohort=OuterRef("cohort")).values("cohort")
    return (
        Trainee.objects.visible_to(user)
        .select_related("cohort__programme", "organisation", "company")
        .annotate(
            hours_attended=Subquery(attended.annotate(total=Sum("hours")).values("total")),
            cohort_hours=Subquery(held.annotate(total=Sum("hours")).values("total")),
        )
    )


def hours_attended(trainee: Trainee) -> Decimal:
    return trainee.attendance.aggregate(total=Sum("hours"))["total"] or Decimal(0)


def attended_share(trainee: Trainee) -> Decimal:
    """Hours attended over the hours of the cohort's sessions held so far (0 without any)."""
    held = trainee.cohort.sessions.aggregate(total=Sum("hours"))["total"] or Decimal(0)
    return hours_attended(trainee) / held if held else Decimal(0)


class GridRow(NamedTuple):
    """One trainee of a session's cohort and the hours recorded (None: not recorded)."""

    pk: int
    full_name: str
    affiliation: str
    hours: Decimal | None


def attendance_grid(session: TrainingSession) -> list[GridRow]:
    """Every trainee of the session's cohort with the hours recorded, in one query of plain
    values (a cohort may hold hundreds of trainees: no model instances are built)."""
    hours = Attendance.objects.filter(session=session, trainee=OuterRef("pk")).values("hours")
    rows = (
        Trainee.objects.filter(cohort=session.cohort_id)
        .annotate(recorded=Subquery(hours[:1]))
        .values_list("pk", "full_name", "organisation__acronym", "company__name", "recorded")
        .order_by("full_name", "pk")
    )
    return [GridRow(pk, name, acronym or company or "", recorded)
            for pk, name, acronym, company, recorded in rows]  # fmt: skip


# --- certificates of attendance ------------------------------------------------------------------


def certificate_token(trainee: Trainee) -> str:
    """What the certificate's QR code carries: the trainee's row and name, signed."""
    return signing.sign({"a": trainee.pk, "n": trainee.full_name})


def verification_url(trainee: Trainee) -> str:
    path = reverse("training:verify", args=[certificate_token(trainee)])
    return settings.SITE_URL.rstrip("/") + path


def trainee_by_token(token: str) -> Trainee | None:
    """The trainee who completed, named by a genuine token; None for a forged or altered one."""
    try:
        payload = signing.verify(token)
    except signing.InvalidToken:
        return None
    pk, name = payload.get("a"), payload.get("n")
    if not isinstance(pk, int) or not isinstance(name, str):
        return None
    return (
        Trainee.objects.filter(pk=pk, full_name=name, status=TraineeStatus.COMPLETED)
        .select_related("cohort__programme__organiser", "organisation", "company")
        .first()
    )
