"""Every state change of training: programmes, cohorts, sessions, enrolment, attendance (entered
on the page, by the API or from the attendance sheet, all rows or none), assessment and the
programme's completion, after which it gains no participant."""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from pilotage.core import access
from pilotage.core.audit import stamp
from pilotage.core.errors import ErrorCode, ServiceError, refusal
from pilotage.core.models import Organisation, User
from pilotage.core.numbers import format_decimal
from pilotage.core.services import KEEP, change_fields, persist, step_date
from pilotage.prestations.models import Company
from pilotage.programmes.models import Agreement
from pilotage.training import selectors
from pilotage.training.models import (
    Attendance,
    Cohort,
    ProgrammeStatus,
    Trainee,
    TraineeStatus,
    TrainingProgramme,
    TrainingSession,
)


def _date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _within(day: datetime.date, first: datetime.date, last: datetime.date, field: str,
            what: str) -> None:  # fmt: skip
    if not first <= day <= last:
        raise refusal(
            _("This date falls outside the %(what)s (%(start)s – %(end)s).")
            % {"what": what, "start": _date(first), "end": _date(last)},
            field, ErrorCode.INVALID,
        )  # fmt: skip


def _open(programme: TrainingProgramme, field: str) -> None:
    if programme.status == ProgrammeStatus.COMPLETED:
        raise refusal(_("This programme is completed: it gains no participant, cohort or "
                        "session."), field, ErrorCode.CONFLICT)  # fmt: skip


# --- programmes --------------------------------------------------------------------------------


@transaction.atomic
def programme_create(
    *,
    actor: User,
    code: str,
    title: str,
    organiser: Organisation,
    target_trainees: int,
    starts_on: datetime.date,
    ends_on: datetime.date,
    agreement: Agreement | None = None,
    partners: Iterable[Organisation] = (),
    objectives: str = "",
    reason: str = "",
) -> TrainingProgramme:
    access.ensure_can_create(actor, TrainingProgramme)
    programme = TrainingProgramme(
        code=code.strip(), title=title, organiser=organiser, target_trainees=target_trainees,
        starts_on=starts_on, ends_on=ends_on, agreement=agreement, objectives=objectives,
    )  # fmt: skip
    return persist(programme, actor=actor, reason=reason, m2m={"partners": list(partners)})


@transaction.atomic
def programme_update(
    *,
    actor: User,
    programme: TrainingProgramme,
    code: str = KEEP,
    title: str = KEEP,
    organiser: Organisation = KEEP,
    target_trainees: int = KEEP,
    starts_on: datetime.date = KEEP,
    ends_on: datetime.date = KEEP,
    agreement: Agreement | None = KEEP,
    partners: Iterable[Organisation] = KEEP,
    objectives: str = KEEP,
    reason: str = "",
) -> TrainingProgramme:
    access.get_editable(TrainingProgramme, actor, programme.pk)
    programme = TrainingProgramme.objects.select_for_update().get(pk=programme.pk)
    change_fields(
        programme, code=code, title=title, organiser=organiser, target_trainees=target_trainees,
        starts_on=starts_on, ends_on=ends_on, agreement=agreement, objectives=objectives,
    )  # fmt: skip
    outside = programme.cohorts.exclude(starts_on__gte=programme.starts_on,
                                        ends_on__lte=programme.ends_on)  # fmt: skip
    if outside.exists():
        raise refusal(_("Some cohorts would fall outside the programme's dates."), "ends_on",
                      ErrorCode.INVALID)  # fmt: skip
    m2m: dict[str, Any] = {} if partners is KEEP else {"partners": list(partners)}
    return persist(programme, actor=actor, reason=reason, m2m=m2m)


@transaction.atomic
def programme_complete(
    *, actor: User, programme: TrainingProgramme, on: datetime.date | None = None,
    reason: str = "",
) -> TrainingProgramme:  # fmt: skip
    """Close the programme: from now on it gains no participant. Trainees still enrolled must
    have been assessed first, so its completion figures are final."""
    access.get_editable(TrainingProgramme, actor, programme.pk)
    programme = TrainingProgramme.objects.select_for_update().get(pk=programme.pk)
    _open(programme, "on")
    waiting = Trainee.objects.filter(cohort__programme=programme, status=TraineeStatus.ENROLLED)
    if waiting.exists():
        raise refusal(_("%(count)s trainees are still to be assessed.")
                      % {"count": waiting.count()}, "on", ErrorCode.CONFLICT)  # fmt: skip
    on = step_date(on)
    programme.status, programme.completed_on = ProgrammeStatus.COMPLETED, on
    return persist(programme, actor=actor, reason=reason)


# --- cohorts and sessions ----------------------------------------------------------------------


def _check_cohort(cohort: Cohort) -> None:
    programme = cohort.programme
    _open(programme, "programme")
    what = _("programme's dates")
    _within(cohort.starts_on, programme.starts_on, programme.ends_on, "starts_on", what)
    _within(cohort.ends_on, programme.starts_on, programme.ends_on, "ends_on", what)


@transaction.atomic
def cohort_create(
    *,
    actor: User,
    programme: TrainingProgramme,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    reason: str = "",
) -> Cohort:
    access.ensure_can_create(actor, Cohort)
    programme = access.get_editable(TrainingProgramme, actor, programme.pk)
    cohort = Cohort(programme=programme, name=name, starts_on=starts_on, ends_on=ends_on)
    _check_cohort(cohort)
    return persist(cohort, actor=actor, reason=reason)


@transaction.atomic
def cohort_update(
    *,
    actor: User,
    cohort: Cohort,
    programme: TrainingProgramme = KEEP,
    name: str = KEEP,
    starts_on: datetime.date = KEEP,
    ends_on: datetime.date = KEEP,
    reason: str = "",
) -> Cohort:
    access.get_editable(Cohort, actor, cohort.pk)
    cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if programme is not KEEP and programme != cohort.programme:
        raise refusal(_("A cohort stays with its programme."), "programme")
    change_fields(cohort, name=name, starts_on=starts_on, ends_on=ends_on)
    _check_cohort(cohort)
    if cohort.sessions.exclude(held_on__range=(cohort.starts_on, cohort.ends_on)).exists():
        raise refusal(_("Some sessions would fall outside the cohort's dates."), "ends_on",
                      ErrorCode.INVALID)  # fmt: skip
    return persist(cohort, actor=actor, reason=reason)


def _check_session(session: TrainingSession) -> None:
    cohort = session.cohort
    _open(cohort.programme, "cohort")
    _within(session.held_on, cohort.starts_on, cohort.ends_on, "held_on", _("cohort's dates"))
    if session.pk and session.attendance.filter(hours__gt=session.hours).exists():
        raise refusal(_("Some trainees are recorded with more hours than the session would last."),
                      "hours", ErrorCode.INVALID)  # fmt: skip


@transaction.atomic
def session_create(
    *,
    actor: User,
    cohort: Cohort,
    held_on: datetime.date,
    topic: str,
    hours: Decimal,
    place: str = "",
    trainer: str = "",
    reason: str = "",
) -> TrainingSession:
    access.ensure_can_create(actor, TrainingSession)
    cohort = access.get_editable(Cohort, actor, cohort.pk)
    session = TrainingSession(cohort=cohort, held_on=held_on, topic=topic, hours=hours,
                              place=place, trainer=trainer)  # fmt: skip
    _check_session(session)
    return persist(session, actor=actor, reason=reason)


@transaction.atomic
def session_update(
    *,
    actor: User,
    session: TrainingSession,
    cohort: Cohort = KEEP,
    held_on: datetime.date = KEEP,
    topic: str = KEEP,
    hours: Decimal = KEEP,
    place: str = KEEP,
    trainer: str = KEEP,
    reason: str = "",
) -> TrainingSession:
    access.get_editable(TrainingSession, actor, session.pk)
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if cohort is not KEEP and cohort != session.cohort:
        raise refusal(_("A session stays with its cohort."), "cohort")
    change_fields(session, held_on=held_on, topic=topic, hours=hours, place=place,
                  trainer=trainer)  # fmt: skip
    _check_session(session)
    return persist(session, actor=actor, reason=reason)


# --- trainees ----------------------------------------------------------------------------------


@transaction.atomic
def trainee_create(
    *,
    actor: User,
    cohort: Cohort,
    full_name: str,
    sex: str,
    organisation: Organisation | None = None,
    company: Company | None = None,
    reason: str = "",
) -> Trainee:
    access.ensure_can_create(actor, Trainee)
    cohort = access.get_editable(Cohort, actor, cohort.pk)
    # The programme's row is the lock: a trainee enrolled while it completes waits, then fails.
    programme = TrainingProgramme.objects.select_for_update().get(pk=cohort.programme_id)
    _open(programme, "cohort")
    if (organisation is None) == (company is None):
        raise refusal(_("Name an organisation or a company (by its ICE), not both."),
                      "organisation", ErrorCode.INVALID)  # fmt: skip
    trainee = Trainee(cohort=cohort, full_name=full_name.strip(), sex=sex,
                      organisation=organisation, company=company)  # fmt: skip
    return persist(trainee, actor=actor, reason=reason)


@transaction.atomic
def trainee_update(
    *,
    actor: User,
    trainee: Trainee,
    cohort: Cohort = KEEP,
    full_name: str = KEEP,
    sex: str = KEEP,
    organisation: Organisation | None = KEEP,
    company: Company | None = KEEP,
    reason: str = "",
) -> Trainee:
    access.get_editable(Trainee, actor, trainee.pk)
    trainee = Trainee.objects.select_for_update().get(pk=trainee.pk)
    if cohort is not KEEP and cohort != trainee.cohort:
        raise refusal(_("A trainee stays in their cohort."), "cohort")
    change_fields(trainee, full_name=full_name, sex=sex, organisation=organisation,
                  company=company)  # fmt: skip
    if (trainee.organisation_id is None) == (trainee.company_id is None):
        raise refusal(_("Name an organisation or a company (by its ICE), not both."),
                      "organisation", ErrorCode.INVALID)  # fmt: skip
    return persist(trainee, actor=actor, reason=reason)


@transaction.atomic
def trainee_assess(
    *,
    actor: User,
    trainee: Trainee,
    score: Decimal | None = None,
    on: datetime.date | None = None,
    reason: str = "",
) -> Trainee:
    """Record the assessment: a trainee completes with the pass mark and the attendance
    required (settings TRAINING_PASS_MARK, TRAINING_MIN_ATTENDANCE); otherwise did not complete."""
    access.get_editable(Trainee, actor, trainee.pk)
    trainee = Trainee.objects.select_for_update().get(pk=trainee.pk)
    _open(trainee.cohort.programme, "score")
    on = step_date(on)
    passed = score is not None and score >= settings.TRAINING_PASS_MARK
    attended = selectors.attended_share(trainee) >= settings.TRAINING_MIN_ATTENDANCE
    trainee.score, trainee.assessed_on = score, on
    trainee.status = TraineeStatus.COMPLETED if passed and attended else TraineeStatus.NOT_COMPLETED
    return persist(trainee, actor=actor, reason=reason)


# --- attendance --------------------------------------------------------------------------------


class AttendanceRefused(ServiceError):
    """Attendance refused as a whole; `problems` says which trainee's hours and why, so that an
    import can place each on its row."""

    def __init__(self, problems: list[tuple[int, str, str]]):
        self.problems = problems
        super().__init__(ErrorCode.INVALID, problems[0][2],
                         field_errors={"hours": [message for _id, _f, message in problems]})  # fmt: skip


@transaction.atomic
def attendance_record(
    *,
    actor: User,
    session: TrainingSession,
    hours: dict[int, Decimal | None],
    reason: str = "",
) -> int:
    """Set each listed trainee's hours at this session (None: absent, the row is removed).
    Every trainee must be enrolled in the session's cohort and no one attends more than the
    session lasted; one refusal saves nothing. Returns the number of rows changed."""
    session = access.get_editable(TrainingSession, actor, session.pk)
    _open(session.cohort.programme, "hours")
    enrolled = {t.pk: t for t in Trainee.objects.filter(cohort=session.cohort_id, pk__in=hours)}
    problems = []
    for trainee_id, value in hours.items():
        if trainee_id not in enrolled:
            problems.append((trainee_id, "trainee",
                             _("Trainee no. %(id)s is not enrolled in this session's cohort.")
                             % {"id": trainee_id}))  # fmt: skip
        elif value is not None and not 0 <= value <= session.hours:
            problems.append((trainee_id, "hours",
                             _("%(name)s: between 0 and the session's %(hours)s hours.")
                             % {"name": enrolled[trainee_id].full_name,
                                "hours": format_decimal(session.hours)}))  # fmt: skip
    if problems:
        raise AttendanceRefused(problems)
    existing = {a.trainee_id: a for a in session.attendance.filter(trainee__in=list(enrolled))}
    changed = 0
    for trainee_id, value in hours.items():
        row = existing.get(trainee_id)
        if value is None and row is not None:
            stamp(row, actor=actor, reason=reason)  # the history keeps who removed it
            row.delete()
            changed += 1
        elif value is not None and (row is None or row.hours != value):
            row = row or Attendance(session=session, trainee=enrolled[trainee_id])
            row.hours = value
            persist(row, actor=actor, reason=reason)
            changed += 1
    return changed
