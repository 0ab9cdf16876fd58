from django.contrib import admin

from pilotage.certification.models import (
    FastTrackCampaign,
    Laboratory,
    StaffCount,
    TestResult,
    ValidationRequest,
)
from pilotage.core.admin import AccessModelAdmin, admin_site


@admin.register(Laboratory, site=admin_site)
class LaboratoryAdmin(AccessModelAdmin):
    list_display = ["name", "cti", "region", "accreditation_number", "accredited_until"]
    list_filter = ["cti", "region"]


@admin.register(StaffCount, site=admin_site)
class StaffCountAdmin(AccessModelAdmin):
    list_display = ["cti", "year", "graduates", "technicians", "administrative"]
    list_filter = ["year"]


@admin.register(FastTrackCampaign, site=admin_site)
class FastTrackCampaignAdmin(AccessModelAdmin):
    list_display = ["code", "title", "opened_on", "closes_on", "decision_hours"]


@admin.register(ValidationRequest, site=admin_site)
class ValidationRequestAdmin(AccessModelAdmin):
    list_display = ["delivery", "product", "referential", "stage", "decision", "campaign"]
    list_filter = ["stage", "decision"]


@admin.register(TestResult, site=admin_site)
class TestResultAdmin(AccessModelAdmin):
    list_display = ["request", "characteristic", "measured_value", "unit", "verdict"]
