"""The pages of report editions that are not the resource's own: the progress part polled while
an edition is built, its files, what changed since its publication, and the open data (public,
no sign-in)."""

from typing import Any

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from pilotage.core import access
from pilotage.core.errors import AccessDenied
from pilotage.core.generic_views import ObjectMixin
from pilotage.core.jobs import lease
from pilotage.reports import opendata, services
from pilotage.reports.models import EditionStatus, ReportEdition


def _edition(request: HttpRequest, pk: Any) -> ReportEdition:
    """An edition the visitor may read (a published one: anyone), else 404."""
    try:
        return access.get_visible(ReportEdition, request.user, pk)
    except AccessDenied:
        raise Http404 from None


class EditionProgress(ObjectMixin, View):
    """The build's progress bar (htmx polls it every second until the edition is built)."""

    model = ReportEdition

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        edition = self.get_object()
        if edition.status == EditionStatus.BUILDING and services.editions_sweep(
            cutoff=timezone.now() - lease(), edition_id=edition.pk
        ):
            edition.refresh_from_db()  # its worker died: say so instead of polling forever
        response = render(request, "reports/partials/edition_progress.html", {"object": edition})
        if not edition.is_running and request.headers.get("HX-Request"):
            response["HX-Refresh"] = "true"  # built: the whole page shows the figures
        return response


class EditionChanges(ObjectMixin, View):
    """What differs between a published edition and the same date's figures as the platform
    knows them now (the corrections recorded since included). A worker computes it (as long as
    a build, at national scale); the page polls until it is there. POST asks for a fresh one.
    The published figures are never rewritten: this only shows the difference."""

    model = ReportEdition

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        edition = self.get_object()
        if not edition.is_published:
            raise Http404
        services.edition_compare_later(edition)
        edition.refresh_from_db()
        changes = edition.changes or []
        context = {
            "object": edition,
            "checking": edition.changes_pending,
            "changes": changes[:200],
            "change_count": len(changes),
            "same": not changes,
            "may_ask_again": access.can(request.user, "publish", edition),
        }
        return render(request, "reports/partials/edition_changes.html", context)

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        edition = self.get_object()
        if not edition.is_published:
            raise Http404
        # Asking again costs what a build costs: for those who may publish, not every reader.
        access.ensure_can(request.user, "publish", edition)
        services.edition_compare_later(edition, again=True)
        return self.get(request, pk)


def edition_file(
    request: HttpRequest, edition: int, file_format: str, language: str
) -> FileResponse:
    """One of an edition's files, as stored (its SHA-256 is on the edition's page)."""
    report = _edition(request, edition)
    stored = report.files.filter(format=file_format, language=language).first()
    if stored is None:
        raise Http404
    response = FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.title)
    response["X-Content-SHA256"] = stored.sha256
    return response


def open_data(request: HttpRequest) -> HttpResponse:
    """The public page of the open data: every published edition, its files and datasets."""
    editions = [(e, opendata.datasets_of(e)) for e in opendata.published_editions()]
    context = {"editions": editions, "licence": settings.OPEN_DATA_LICENCE}
    return render(request, "reports/open_data.html", context)


def open_data_package(request: HttpRequest, edition: int) -> JsonResponse:
    published = _published(edition)
    return JsonResponse(opendata.datapackage(published), json_dumps_params={"ensure_ascii": False})


def open_data_table(request: HttpRequest, edition: int, name: str, extension: str) -> HttpResponse:
    published = _published(edition)
    data = opendata.dataset(published, name)
    if data is None or extension not in ("csv", "json"):
        raise Http404
    if extension == "csv":
        response = HttpResponse(opendata.as_csv(published, data), content_type="text/csv")
    else:
        response = HttpResponse(opendata.as_json(published, data), content_type="application/json")
    response["Content-Disposition"] = f'inline; filename="{name}.{extension}"'
    response["Access-Control-Allow-Origin"] = "*"  # open data: any portal may read it
    return response


def _published(pk: int) -> ReportEdition:
    """Only published editions are open data, whoever asks."""
    edition = opendata.published_editions().filter(pk=pk).first()
    if edition is None:
        raise Http404
    return edition
