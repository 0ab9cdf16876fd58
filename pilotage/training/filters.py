import django_filters
from django.utils.translation import gettext_lazy as _

from pilotage.core.filters import SearchFilterSet
from pilotage.core.models import Organisation
from pilotage.training.models import (
    Cohort,
    ProgrammeStatus,
    Sex,
    Trainee,
    TraineeStatus,
    TrainingProgramme,
    TrainingSession,
)

# A cohort's name carries its programme's code: read with it, one query for the whole list.
COHORTS = Cohort.objects.select_related("programme")


class ProgrammeFilter(SearchFilterSet):
    search_fields = ("code", "title", "objectives")

    organiser = django_filters.ModelChoiceFilter(label=_("Organiser"),
                                                 queryset=Organisation.objects.all())  # fmt: skip
    partner = django_filters.ModelChoiceFilter(
        label=_("Partner"), field_name="partners", queryset=Organisation.objects.all(),
        distinct=True,
    )  # fmt: skip
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ProgrammeStatus.choices)

    class Meta:
        model = TrainingProgramme
        fields = ["q", "organiser", "partner", "status"]


class CohortFilter(SearchFilterSet):
    search_fields = ("name", "programme__code", "programme__title")

    programme = django_filters.ModelChoiceFilter(label=_("Programme"),
                                                 queryset=TrainingProgramme.objects.all())  # fmt: skip

    class Meta:
        model = Cohort
        fields = ["q", "programme"]


class SessionFilter(SearchFilterSet):
    search_fields = ("topic", "place", "trainer")

    cohort = django_filters.ModelChoiceFilter(label=_("Cohort"), queryset=COHORTS)

    class Meta:
        model = TrainingSession
        fields = ["q", "cohort"]


class TraineeFilter(SearchFilterSet):
    search_fields = ("full_name", "organisation__acronym", "company__name")

    cohort = django_filters.ModelChoiceFilter(label=_("Cohort"), queryset=COHORTS)
    programme = django_filters.ModelChoiceFilter(label=_("Programme"),
                                                 field_name="cohort__programme",
                                                 queryset=TrainingProgramme.objects.all())  # fmt: skip
    sex = django_filters.ChoiceFilter(label=_("Sex"), choices=Sex.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=TraineeStatus.choices)

    class Meta:
        model = Trainee
        fields = ["q", "programme", "cohort", "sex", "status"]
