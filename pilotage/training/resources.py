"""Training programmes, cohorts, sessions and trainees as resources: their pages, API routes,
exports and steps (complete a programme, assess a trainee) come from these declarations
(core/registry.py). A session's attendance (a grid of every trainee, an XLSX sheet) and the
certificate of attendance are plain views (views.py)."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja import Field, ModelSchema

from pilotage.core import access
from pilotage.core.registry import Resource, Step, register
from pilotage.core.tables import Column
from pilotage.training import selectors, services
from pilotage.training.filters import CohortFilter, ProgrammeFilter, SessionFilter, TraineeFilter
from pilotage.training.forms import (
    AssessForm,
    AttendanceUploadForm,
    CohortForm,
    CompleteForm,
    ProgrammeForm,
    SessionForm,
    TraineeForm,
)
from pilotage.training.models import (
    Cohort,
    ProgrammeStatus,
    Trainee,
    TraineeStatus,
    TrainingProgramme,
    TrainingSession,
)


class ProgrammeOut(ModelSchema):
    organiser_id: int
    organiser_acronym: str = Field(alias="organiser.acronym")
    agreement_id: int | None
    partner_ids: list[int]

    class Meta:
        model = TrainingProgramme
        fields = [
            "id", "code", "title", "objectives", "target_trainees", "starts_on", "ends_on",
            "status", "completed_on",
        ]  # fmt: skip

    @staticmethod
    def resolve_partner_ids(programme: TrainingProgramme) -> list[int]:
        return [partner.pk for partner in programme.partners.all()]


class CohortOut(ModelSchema):
    programme_id: int

    class Meta:
        model = Cohort
        fields = ["id", "name", "starts_on", "ends_on"]


class SessionOut(ModelSchema):
    cohort_id: int

    class Meta:
        model = TrainingSession
        fields = ["id", "held_on", "topic", "hours", "place", "trainer"]


class TraineeOut(ModelSchema):
    cohort_id: int
    organisation_id: int | None
    company_id: int | None
    hours_attended: Decimal | None = None
    assessed_on: date | None

    class Meta:
        model = Trainee
        fields = ["id", "full_name", "sex", "status", "score"]


def _may_change(user: Any, row: Any, programme: TrainingProgramme) -> bool:
    """May the user change this row of an open programme (a completed one changes no more)?"""
    return programme.status == ProgrammeStatus.OPEN and access.can_edit(user, row)


class Programmes(Resource):
    model = TrainingProgramme
    path = "training-programmes"
    name = "programme"
    form = ProgrammeForm
    filterset = ProgrammeFilter
    title = gettext_lazy("Training programmes")
    title_create = gettext_lazy("New training programme")
    title_edit = gettext_lazy("Edit training programme")
    related = ("organiser", "agreement")
    prefetch = ("partners",)
    columns = [
        Column("code", gettext_lazy("Code"), sort="code", link=True),
        Column("title", gettext_lazy("Title"), sort="title"),
        Column("organiser", gettext_lazy("Organiser"), accessor="organiser.acronym",
               sort="organiser__acronym"),
        Column("agreement", gettext_lazy("Agreement"), accessor="agreement.reference"),
        Column("target_trainees", gettext_lazy("Target trainees"), sort="target_trainees"),
        Column("starts_on", gettext_lazy("Start"), sort="starts_on"),
        Column("ends_on", gettext_lazy("End"), sort="ends_on"),
        Column("status", gettext_lazy("Status"), sort="status"),
    ]  # fmt: skip
    default_sort = "-starts_on"
    create_service = staticmethod(services.programme_create)
    update_service = staticmethod(services.programme_update)
    steps = (
        Step("complete", "programme_complete", form=CompleteForm,
             done_message=gettext_lazy("Programme completed."),
             take=lambda actor, programme, data: services.programme_complete(
                 actor=actor, programme=programme, **data)),
    )  # fmt: skip
    schema = ProgrammeOut
    api_summary = "Training programmes you organise or take part in"
    detail_template = "training/programme_detail.html"

    def detail_context(self, request: HttpRequest, obj: TrainingProgramme) -> dict[str, Any]:
        may_edit = _may_change(request.user, obj, obj)
        return {
            "figures": selectors.programme_figures(obj),
            "cohorts": obj.cohorts.all(),
            "complete_form": CompleteForm(user=request.user) if may_edit else None,
            "may_add": may_edit,
        }


class Cohorts(Resource):
    model = Cohort
    path = "cohorts"
    form = CohortForm
    filterset = CohortFilter
    title = gettext_lazy("Cohorts")
    title_create = gettext_lazy("New cohort")
    title_edit = gettext_lazy("Edit cohort")
    related = ("programme",)
    columns = [
        Column("programme", gettext_lazy("Programme"), accessor="programme.code",
               sort="programme__code"),
        Column("name", gettext_lazy("Name"), sort="name", link=True),
        Column("starts_on", gettext_lazy("Start"), sort="starts_on"),
        Column("ends_on", gettext_lazy("End"), sort="ends_on"),
    ]  # fmt: skip
    default_sort = "starts_on"
    create_service = staticmethod(services.cohort_create)
    update_service = staticmethod(services.cohort_update)
    prefill = ("programme",)
    schema = CohortOut
    api_summary = "Cohorts of the training programmes you may see"
    detail_template = "training/cohort_detail.html"

    def detail_context(self, request: HttpRequest, obj: Cohort) -> dict[str, Any]:
        return {
            "sessions": obj.sessions.all(),
            "trainees": selectors.trainees_with_hours(request.user).filter(cohort=obj),
            "may_add": _may_change(request.user, obj, obj.programme),
        }


class Sessions(Resource):
    model = TrainingSession
    path = "training-sessions"
    name = "session"
    form = SessionForm
    filterset = SessionFilter
    title = gettext_lazy("Training sessions")
    title_create = gettext_lazy("New training session")
    title_edit = gettext_lazy("Edit training session")
    related = ("cohort__programme",)
    columns = [
        Column("cohort", gettext_lazy("Cohort"), accessor="cohort", sort="cohort__name"),
        Column("held_on", gettext_lazy("Date"), sort="held_on", link=True),
        Column("topic", gettext_lazy("Topic"), sort="topic"),
        Column("hours", gettext_lazy("Hours"), sort="hours"),
        Column("place", gettext_lazy("Place")),
        Column("trainer", gettext_lazy("Trainer")),
    ]
    default_sort = "held_on"
    create_service = staticmethod(services.session_create)
    update_service = staticmethod(services.session_update)
    prefill = ("cohort",)
    schema = SessionOut
    api_summary = "Sessions of the cohorts you may see"
    detail_template = "training/session_detail.html"

    def detail_context(self, request: HttpRequest, obj: TrainingSession) -> dict[str, Any]:
        may_record = _may_change(request.user, obj, obj.cohort.programme)
        return {
            "grid": selectors.attendance_grid(obj),
            "may_record": may_record,
            "upload_form": AttendanceUploadForm(user=request.user) if may_record else None,
        }


def _hours(trainee: Any) -> Any:
    return trainee.hours_attended or Decimal(0)  # annotated by the queryset


class Trainees(Resource):
    model = Trainee
    path = "trainees"
    form = TraineeForm
    filterset = TraineeFilter
    title = gettext_lazy("Trainees")
    title_create = gettext_lazy("Enrol a trainee")
    title_edit = gettext_lazy("Edit trainee")
    related = ("cohort__programme", "organisation", "company")
    columns = [
        Column("full_name", gettext_lazy("Name"), sort="full_name", link=True),
        Column("sex", gettext_lazy("Sex"), sort="sex"),
        Column("affiliation", gettext_lazy("Organisation or company")),
        Column("cohort", gettext_lazy("Cohort"), accessor="cohort", sort="cohort__name"),
        Column("hours_attended", gettext_lazy("Hours attended"), accessor=_hours,
               sort="hours_attended"),
        Column("cohort_hours", gettext_lazy("Hours held"), sort="cohort_hours"),
        Column("status", gettext_lazy("Status"), sort="status"),
        Column("score", gettext_lazy("Score (/20)"), sort="score"),
    ]  # fmt: skip
    default_sort = "full_name"
    create_service = staticmethod(services.trainee_create)
    update_service = staticmethod(services.trainee_update)
    prefill = ("cohort",)
    steps = (
        Step("assess", "trainee_assess", form=AssessForm,
             done_message=gettext_lazy("Assessment recorded."),
             take=lambda actor, trainee, data: services.trainee_assess(
                 actor=actor, trainee=trainee, **data)),
    )  # fmt: skip
    schema = TraineeOut
    api_summary = "Trainees of the cohorts you may see, with their hours attended"
    detail_template = "training/trainee_detail.html"

    def queryset(self, user: Any) -> Any:
        return selectors.trainees_with_hours(user)

    def detail_context(self, request: HttpRequest, obj: Trainee) -> dict[str, Any]:
        return {
            "attendance": obj.attendance.select_related("session"),
            "share": selectors.attended_share(obj),
            "assess_form": AssessForm(user=request.user)
            if _may_change(request.user, obj, obj.cohort.programme) else None,
            "has_certificate": obj.status == TraineeStatus.COMPLETED,
        }  # fmt: skip


RESOURCES = register(Programmes, Cohorts, Sessions, Trainees)
