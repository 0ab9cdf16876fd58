"""The standards page that is not the resource's (those come from `resources.py`): the pipeline,
by stage, with the time works spend in each and the late ones."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from pilotage.core.generic_views import AccessMixin
from pilotage.core.models import Organisation
from pilotage.core.roles import OrganisationKind
from pilotage.standards import selectors


class Pipeline(AccessMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        ctis = Organisation.objects.visible_to(request.user).filter(kind=OrganisationKind.CTI)
        cti = (
            ctis.filter(pk=request.GET.get("cti")).first()
            if request.GET.get("cti", "").isdigit()
            else None
        )
        filters = {"cti": cti} if cti else {}
        context = {"stages": selectors.pipeline(request.user, **filters), "ctis": ctis, "cti": cti}
        return render(request, "standards/pipeline.html", context)
