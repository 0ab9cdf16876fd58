"""Training programmes (axis 5 of the plan and the 2025 engineering ecosystem, DESIGN §4): a
programme tied to an agreement or protocol (the build-to-print programme of the CTPC–CID–Capgemini
protocol is the model case), its cohorts and sessions, the trainees enrolled in a cohort, their
attendance per session, their assessment and completion, and a verifiable certificate of
attendance for those who completed.

A programme is read by its organiser and its partner organisations (and programme-wide roles): a
partner sees its own programmes and nothing else. Trainees carry a name, their organisation or
company and their sex (for the usual gender breakdown), and no more personal data than that."""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pilotage.core.access import AccessQuerySet, access_rule
from pilotage.core.audit import history_records
from pilotage.core.constraints import FieldCheckConstraint
from pilotage.core.models import Organisation
from pilotage.core.roles import CTI_ROLES, MINISTRY_ROLES, Role
from pilotage.prestations.models import Company
from pilotage.programmes.models import Agreement

TRAINING_EDITORS = MINISTRY_ROLES | CTI_ROLES | {Role.CID_MANAGER}
PROGRAMME_OWNERS = ("organiser", "partners")


class ProgrammeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    COMPLETED = "completed", _("Completed")


@access_rule(owner=PROGRAMME_OWNERS, editors=TRAINING_EDITORS)
class TrainingProgramme(models.Model):
    """A training programme run by a CTI or the CID with partner organisations."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=255)
    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, null=True, blank=True,
        related_name="training_programmes", verbose_name=_("agreement or protocol"),
    )  # fmt: skip
    organiser = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                  related_name="organised_trainings",
                                  verbose_name=_("organiser"))  # fmt: skip
    partners = models.ManyToManyField(Organisation, blank=True, related_name="partner_trainings",
                                      verbose_name=_("partner organisations"))  # fmt: skip
    objectives = models.TextField(_("objectives"), blank=True)
    target_trainees = models.PositiveIntegerField(_("target number of trainees"))
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    status = models.CharField(_("status"), max_length=20, choices=ProgrammeStatus.choices,
                              default=ProgrammeStatus.OPEN)  # fmt: skip
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["-starts_on", "code"]
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")
        constraints = [
            FieldCheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="training_dates_in_order",
                field="ends_on", violation_error_message=_("A programme ends after it starts."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("training:programme_detail", args=[self.pk])


@access_rule(owner=tuple(f"programme__{o}" for o in PROGRAMME_OWNERS), editors=TRAINING_EDITORS)
class Cohort(models.Model):
    programme = models.ForeignKey(TrainingProgramme, on_delete=models.PROTECT,
                                  related_name="cohorts", verbose_name=_("programme"))  # fmt: skip
    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["programme", "starts_on", "name"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="cohort_name_unique"),
            FieldCheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="cohort_dates_in_order",
                field="ends_on", violation_error_message=_("A cohort ends after it starts."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.programme.code} — {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("training:cohort_detail", args=[self.pk])


MAX_SESSION_HOURS = Decimal(12)


@access_rule(owner=tuple(f"cohort__programme__{o}" for o in PROGRAMME_OWNERS),
             editors=TRAINING_EDITORS)  # fmt: skip
class TrainingSession(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="sessions",
                               verbose_name=_("cohort"))  # fmt: skip
    held_on = models.DateField(_("date"))
    topic = models.CharField(_("topic"), max_length=255)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    place = models.CharField(_("place"), max_length=255, blank=True)
    trainer = models.CharField(_("trainer"), max_length=255, blank=True)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["cohort", "held_on", "pk"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            FieldCheckConstraint(
                condition=Q(hours__gt=0, hours__lte=MAX_SESSION_HOURS), name="session_hours_range",
                field="hours",
                violation_error_message=_("A session lasts more than 0 and at most 12 hours."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.held_on:%d/%m/%Y} — {self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("training:session_detail", args=[self.pk])


class Sex(models.TextChoices):
    FEMALE = "F", _("Woman")
    MALE = "M", _("Man")


class TraineeStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Did not complete")


@access_rule(owner=tuple(f"cohort__programme__{o}" for o in PROGRAMME_OWNERS),
             editors=TRAINING_EDITORS)  # fmt: skip
class Trainee(models.Model):
    """A person enrolled in a cohort, from an organisation or a company (by its ICE)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="trainees",
                               verbose_name=_("cohort"))  # fmt: skip
    full_name = models.CharField(_("name"), max_length=200)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True,
        related_name="trainees", verbose_name=_("organisation"),
    )  # fmt: skip
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, null=True, blank=True, related_name="trainees",
        verbose_name=_("company"),
    )  # fmt: skip
    status = models.CharField(_("status"), max_length=20, choices=TraineeStatus.choices,
                              default=TraineeStatus.ENROLLED)  # fmt: skip
    score = models.DecimalField(_("assessment score (/20)"), max_digits=4, decimal_places=2,
                                null=True, blank=True)  # fmt: skip
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["cohort", "full_name", "pk"]
        verbose_name = _("trainee")
        verbose_name_plural = _("trainees")
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, company__isnull=True)
                | Q(organisation__isnull=True, company__isnull=False),
                name="trainee_from_one_party",
            ),
            models.CheckConstraint(
                condition=Q(status="enrolled") | Q(assessed_on__isnull=False),
                name="trainee_assessed_is_dated",
            ),
            FieldCheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=20),
                name="trainee_score_range", field="score",
                violation_error_message=_("A score is between 0 and 20."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("training:trainee_detail", args=[self.pk])

    @property
    def affiliation(self) -> str:
        party = self.organisation or self.company
        return str(getattr(party, "acronym", "") or party) if party else ""


@access_rule(owner=tuple(f"trainee__cohort__programme__{o}" for o in PROGRAMME_OWNERS),
             editors=TRAINING_EDITORS)  # fmt: skip
class Attendance(models.Model):
    """The hours one trainee attended of one session of their cohort."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE,
                                related_name="attendance", verbose_name=_("session"))  # fmt: skip
    trainee = models.ForeignKey(Trainee, on_delete=models.CASCADE, related_name="attendance",
                                verbose_name=_("trainee"))  # fmt: skip
    hours = models.DecimalField(_("hours attended"), max_digits=4, decimal_places=1)

    objects = AccessQuerySet.as_manager()
    history = history_records()

    class Meta:
        ordering = ["session", "trainee"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "trainee"], name="attendance_once"),
            FieldCheckConstraint(
                condition=Q(hours__gte=0), name="attendance_hours_positive", field="hours",
                violation_error_message=_("Hours attended cannot be negative."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.trainee} — {self.session}"

    def get_absolute_url(self) -> str:
        return self.session.get_absolute_url() + f"#trainee-{self.trainee_id}"
