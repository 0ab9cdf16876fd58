from django.contrib import admin

from pilotage.core.admin import AccessModelAdmin, admin_site
from pilotage.standards.models import StandardWork


@admin.register(StandardWork, site=admin_site)
class StandardWorkAdmin(AccessModelAdmin):
    list_display = ["reference", "title", "cti", "technical_committee", "stage"]
    list_filter = ["stage", "cti"]
