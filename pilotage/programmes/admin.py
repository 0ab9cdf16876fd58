from django.contrib import admin

from pilotage.core.admin import AccessModelAdmin, admin_site
from pilotage.programmes.models import (
    Agreement,
    AgreementParty,
    Amendment,
    Programme,
    StrategicAxis,
)


@admin.register(Programme, site=admin_site)
class ProgrammeAdmin(AccessModelAdmin):
    list_display = ["code", "title", "start_year", "end_year", "envelope"]


@admin.register(StrategicAxis, site=admin_site)
class StrategicAxisAdmin(AccessModelAdmin):
    list_display = ["programme", "number", "title", "envelope"]


@admin.register(Agreement, site=admin_site)
class AgreementAdmin(AccessModelAdmin):
    list_display = ["reference", "kind", "title", "status", "signed_on"]
    list_filter = ["kind", "status"]
    search_fields = ["reference", "title"]


@admin.register(AgreementParty, site=admin_site)
class AgreementPartyAdmin(AccessModelAdmin):
    list_display = ["agreement", "organisation", "role"]


@admin.register(Amendment, site=admin_site)
class AmendmentAdmin(AccessModelAdmin):
    list_display = ["agreement", "number", "kind", "signed_on"]
