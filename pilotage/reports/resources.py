"""Report editions as a resource: their list, request form, page, history, API routes and the
publication step come from this declaration (core/registry.py). The files, the progress part of
the page and the open data are plain views (views.py)."""

import json
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja import ModelSchema, Schema

from pilotage.core import access
from pilotage.core.registry import Resource, Step, register
from pilotage.core.tables import Column
from pilotage.reports import charts, services
from pilotage.reports.filters import EditionFilter
from pilotage.reports.forms import EditionForm, PublishForm
from pilotage.reports.models import EditionStatus, ReportEdition
from pilotage.reports.presentation import PAGE_ROW_LIMIT, present
from pilotage.reports.selectors import OPEN_DATA_SECTIONS


class EditionFileOut(Schema):
    format: str
    language: str
    sha256: str
    size: int
    url: str


class EditionOut(ModelSchema):
    programme_id: int
    cti_id: int | None
    as_of: date
    published_at: datetime | None
    supersedes_id: int | None
    files: list[EditionFileOut]

    class Meta:
        model = ReportEdition
        fields = ["id", "kind", "status", "progress", "stage", "failure", "figures_sha256",
                  "requested_at", "built_at"]  # fmt: skip

    @staticmethod
    def resolve_files(edition: ReportEdition) -> list[dict[str, Any]]:
        return [
            {"format": f.format, "language": f.language, "sha256": f.sha256, "size": f.size,
             "url": f.get_absolute_url()}
            for f in edition.files.all()
        ]  # fmt: skip


def _scope(edition: ReportEdition) -> str:
    return edition.cti.acronym if edition.cti else edition.programme.code


def _publication(edition: ReportEdition) -> str:
    if edition.published_at is None:
        return ""
    return edition.published_at.strftime("%d/%m/%Y")


class Editions(Resource):
    model = ReportEdition
    path = "report-editions"
    name = "edition"
    form = EditionForm
    filterset = EditionFilter
    title = gettext_lazy("Report editions")
    title_create = gettext_lazy("New report edition")
    related = ("programme", "cti")
    prefetch = ("files",)
    columns = [
        Column("kind", gettext_lazy("Report"), accessor="get_kind_display", sort="kind",
               link=True),
        Column("scope", gettext_lazy("Scope"), accessor=_scope),
        Column("as_of", gettext_lazy("Figures as of"), sort="as_of"),
        Column("status", gettext_lazy("Status"), accessor="get_status_display", sort="status"),
        Column("published", gettext_lazy("Published on"), accessor=_publication,
               sort="published_at"),
    ]  # fmt: skip
    default_sort = "-as_of"
    create_service = staticmethod(services.edition_request)
    steps = (
        Step("publish", "edition_publish", form=PublishForm, action="publish",
             done_message=gettext_lazy("Edition published: its figures and files are frozen."),
             take=lambda actor, edition, data: services.edition_publish(
                 actor=actor, edition=edition, **data)),
    )  # fmt: skip
    schema = EditionOut
    api_summary = "Editions of the plan's bilan, CTI reports and the committee's follow-up"
    detail_template = "reports/edition_detail.html"

    def detail_context(self, request: HttpRequest, obj: ReportEdition) -> dict[str, Any]:
        language = (request.LANGUAGE_CODE or "fr")[:2]
        figures = obj.figures if obj.status == EditionStatus.READY else None
        ready = figures is not None
        return {
            "sections": present(figures, language, PAGE_ROW_LIMIT, OPEN_DATA_SECTIONS)
            if figures else [],
            "charts": [(chart, json.dumps(chart.spec))
                       for chart in charts.edition_charts(figures, language)]
            if figures else [],
            "publish_form": PublishForm(user=request.user)
            if ready and not obj.is_published and access.can(request.user, "publish", obj)
            else None,
            "superseded_by": getattr(obj, "superseded_by", None) if obj.is_published else None,
        }  # fmt: skip


RESOURCES = register(Editions)
