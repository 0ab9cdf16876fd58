from django.contrib import admin

from pilotage.core.admin import AccessModelAdmin, admin_site
from pilotage.projects.models import Milestone, Project


@admin.register(Project, site=admin_site)
class ProjectAdmin(AccessModelAdmin):
    list_display = ["code", "title", "kind", "lead", "status", "starts_on", "ends_on"]
    list_filter = ["kind", "status"]


@admin.register(Milestone, site=admin_site)
class MilestoneAdmin(AccessModelAdmin):
    list_display = ["project", "title", "due_on", "status"]
    list_filter = ["status"]
