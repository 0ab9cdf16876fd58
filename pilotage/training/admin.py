from django.contrib import admin

from pilotage.core.admin import AccessModelAdmin, admin_site
from pilotage.training.models import Trainee, TrainingProgramme


@admin.register(TrainingProgramme, site=admin_site)
class TrainingProgrammeAdmin(AccessModelAdmin):
    list_display = ["code", "title", "organiser", "status", "starts_on", "ends_on"]
    list_filter = ["status"]


@admin.register(Trainee, site=admin_site)
class TraineeAdmin(AccessModelAdmin):
    list_display = ["full_name", "cohort", "sex", "status"]
    list_filter = ["status", "sex"]
