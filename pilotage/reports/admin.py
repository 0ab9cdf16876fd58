from django.contrib import admin

from pilotage.core.admin import AccessModelAdmin, admin_site
from pilotage.reports.models import ReportEdition


@admin.register(ReportEdition, site=admin_site)
class ReportEditionAdmin(AccessModelAdmin):
    list_display = ["kind", "programme", "cti", "as_of", "status", "published_at"]
    list_filter = ["kind", "status"]
    exclude = ["figures"]  # read on the edition's page, not as raw JSON
