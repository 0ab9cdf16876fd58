from django.contrib import admin

from pilotage.core.admin import AccessModelAdmin, admin_site
from pilotage.prestations.models import Company, ServiceDelivery, ServiceOffering, ServiceRequest


@admin.register(Company, site=admin_site)
class CompanyAdmin(AccessModelAdmin):
    list_display = ["ice", "name", "size_class", "region", "sector"]
    list_filter = ["size_class", "region"]
    search_fields = ["ice", "name", "name_ar"]


@admin.register(ServiceOffering, site=admin_site)
class ServiceOfferingAdmin(AccessModelAdmin):
    list_display = ["cti", "code", "title", "category", "is_public", "is_active"]
    list_filter = ["category", "is_public"]


@admin.register(ServiceRequest, site=admin_site)
class ServiceRequestAdmin(AccessModelAdmin):
    list_display = ["received_at", "cti", "company_name", "offering", "status"]
    list_filter = ["status"]


@admin.register(ServiceDelivery, site=admin_site)
class ServiceDeliveryAdmin(AccessModelAdmin):
    list_display = ["reference", "cti", "company", "category", "started_on", "amount_invoiced"]
    list_filter = ["category", "funding"]
    search_fields = ["reference", "company__ice", "company__name"]
