"""Report editions: asked for by the ministry, built in the background, published (frozen).

An edition is asked for with a kind, a scope and an as-of date (`edition_request`); a worker
computes its figures and makes its files (`edition_build`), writing its progress as it goes; the
figures and every file are saved together or not at all. Publishing (`edition_publish`) freezes
it and supersedes the previous published edition of the same report; nothing edits or deletes a
published edition."""

import datetime
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from pilotage.core import access, jobs
from pilotage.core.audit import acting_as
from pilotage.core.errors import ErrorCode, refusal
from pilotage.core.models import Organisation, User
from pilotage.core.roles import OrganisationKind
from pilotage.core.services import persist, save_audited
from pilotage.programmes.models import Programme
from pilotage.reports import rendering
from pilotage.reports.models import (
    EditionFile,
    EditionStatus,
    FileFormat,
    ReportEdition,
    ReportKind,
)
from pilotage.reports.selectors import SECTIONS_OF, Scope, edition_figures, figures_changes

logger = logging.getLogger(__name__)

# The files every edition has: the PDF and the workbook in French and in Arabic.
FILES: list[tuple[str, str]] = [
    (FileFormat.PDF, "fr"),
    (FileFormat.PDF, "ar"),
    (FileFormat.XLSX, "fr"),
    (FileFormat.XLSX, "ar"),
]


def figures_hash(figures: dict[str, Any]) -> str:
    """SHA-256 of the figures written canonically (sorted keys, no spaces): the same figures
    always give the same hash, whoever computes them."""
    canonical = json.dumps(figures, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def scope_of(edition: ReportEdition, known_by: datetime.datetime | None = None) -> Scope:
    return Scope(edition.kind, edition.programme, edition.cti, edition.as_of, known_by)


def _check_request(
    kind: str, programme: Programme, cti: Organisation | None, as_of: datetime.date
) -> None:
    first_day = datetime.date(programme.start_year, 1, 1)
    if as_of < first_day:
        raise refusal(
            _("The plan starts on %(date)s: choose a date on or after it.")
            % {"date": first_day.strftime("%d/%m/%Y")},
            "as_of",
            ErrorCode.INVALID,
        )
    if as_of > timezone.localdate():
        raise refusal(
            _("Figures cannot be given as of a day still to come."), "as_of", ErrorCode.INVALID
        )
    if kind == ReportKind.CTI_REPORT and cti is None:
        raise refusal(_("Choose the CTI this report is about."), "cti", ErrorCode.INVALID)
    if kind != ReportKind.CTI_REPORT and cti is not None:
        raise refusal(_("Only a CTI report is about one CTI."), "cti", ErrorCode.INVALID)
    if cti is not None and cti.kind != OrganisationKind.CTI:
        raise refusal(_("Choose a CTI."), "cti", ErrorCode.INVALID)


@transaction.atomic
def edition_request(
    *,
    actor: User,
    kind: str,
    programme: Programme,
    as_of: datetime.date,
    cti: Organisation | None = None,
    reason: str = "",
) -> ReportEdition:
    """Ask for an edition; a worker builds it (the page shows its progress, an e-mail says
    when its files are ready)."""
    access.ensure_can_create(actor, ReportEdition)
    programme = access.get_visible(Programme, actor, programme.pk)
    if cti is not None:
        cti = access.get_visible(Organisation, actor, cti.pk)  # a CTI one may not see: 404
    _check_request(kind, programme, cti, as_of)
    edition = ReportEdition(kind=kind, programme=programme, cti=cti, as_of=as_of,
                            requested_by=actor)  # fmt: skip
    persist(edition, actor=actor, reason=reason)
    transaction.on_commit(lambda: _enqueue_build(edition.pk))
    return edition


def _enqueue_build(edition_id: int) -> None:
    from pilotage.reports.tasks import build_edition

    build_edition.enqueue(edition_id=edition_id)


def edition_build(*, edition_id: int, notify: bool = True) -> ReportEdition:
    """Compute the edition's figures and make its files, as the person who asked for it; save
    them all at once (ready) or nothing (failed, with the reason)."""
    edition = ReportEdition.objects.select_related("programme", "cti", "requested_by").get(
        pk=edition_id
    )
    # Claimed in one statement: a task delivered twice builds the edition once.
    claimed = ReportEdition.objects.filter(pk=edition.pk, status=EditionStatus.PENDING).update(
        status=EditionStatus.BUILDING, heartbeat_at=timezone.now(), progress=1
    )
    if not claimed:
        return edition
    requester = edition.requested_by
    with translation.override(requester.preferred_language), acting_as(requester):
        try:
            figures, files = _compute(edition, _progress_writer(edition))
            _finish(edition, figures, files, requester)
        except Exception as exc:  # the job's boundary: whatever happened, the edition says so
            logger.exception("edition %s could not be built", edition.pk)
            _fail(edition, _failure_message(exc), requester)
    edition.refresh_from_db()
    if notify and edition.status in (EditionStatus.READY, EditionStatus.FAILED):
        transaction.on_commit(lambda: _notify(edition))
    return edition


def _failure_message(exc: Exception) -> str:
    """Why the build failed, in words the person who asked can act on (details in the log)."""
    if isinstance(exc, DatabaseError):
        cause = _("the database could not be read")
    elif isinstance(exc, OSError):
        cause = _("the server could not write the files")
    else:
        cause = _("an unexpected error, recorded for the administrators")
    return _("The edition could not be built (%(error)s); nothing was kept.") % {"error": cause}


def _progress_writer(edition: ReportEdition) -> Callable[[str, int, int], None]:
    def progress(stage: str, done: int, total: int) -> None:
        ReportEdition.objects.filter(pk=edition.pk, status=EditionStatus.BUILDING).update(
            progress=max(1, min(99, round(100 * done / total))),
            stage=stage,
            heartbeat_at=timezone.now(),
        )

    return progress


def _compute(
    edition: ReportEdition, progress: Callable[[str, int, int], None]
) -> tuple[dict[str, Any], list[tuple[str, str, bytes]]]:
    """The figures, then each file; progress counts sections and files alike."""
    scope = scope_of(edition)
    steps = len(SECTIONS_OF[edition.kind]) + len(FILES)
    figures = edition_figures(scope, lambda key, done, total: progress(key, done, steps))
    edition.figures_sha256 = figures_hash(figures)  # printed in the files
    files = []
    for done, (file_format, language) in enumerate(FILES, start=steps - len(FILES)):
        progress(f"{file_format}-{language}", done, steps)
        maker = rendering.edition_pdf if file_format == FileFormat.PDF else rendering.edition_xlsx
        files.append((file_format, language, maker(edition, figures, language)))
    return figures, files


@transaction.atomic
def _finish(
    edition: ReportEdition,
    figures: dict[str, Any],
    files: list[tuple[str, str, bytes]],
    requester: User,
) -> None:
    # Locked and re-read: a sweep may have ended it as abandoned meanwhile.
    edition = ReportEdition.objects.select_for_update().get(pk=edition.pk)
    if edition.status != EditionStatus.BUILDING:
        return
    for file_format, language, content in files:
        stored = EditionFile(edition=edition, format=file_format, language=language,
                             title=file_name(edition, file_format, language),
                             sha256=hashlib.sha256(content).hexdigest(),
                             size=len(content))  # fmt: skip
        stored.file.save(stored.title, ContentFile(content), save=False)
        stored.save()
    edition.figures = figures
    edition.figures_sha256 = figures_hash(figures)
    edition.status = EditionStatus.READY
    edition.progress = 100
    edition.stage = ""
    edition.built_at = timezone.now()
    save_audited(edition, actor=requester, reason=_("Edition built"))


def _fail(edition: ReportEdition, message: str, actor: User) -> None:
    with transaction.atomic():
        edition = ReportEdition.objects.select_for_update().get(pk=edition.pk)
        if edition.status not in (EditionStatus.PENDING, EditionStatus.BUILDING):
            return
        edition.status = EditionStatus.FAILED
        edition.failure = message
        edition.stage = ""
        save_audited(edition, actor=actor, reason=_("Edition build failed"))


def file_name(edition: ReportEdition, file_format: str, language: str) -> str:
    scope = edition.cti.acronym if edition.cti else edition.programme.code
    return f"{edition.kind}-{scope}-{edition.as_of.isoformat()}-{language}.{file_format}"


def edition_abandon(*, edition_id: int) -> bool:
    """End an edition whose worker died as failed (it kept nothing: its files are saved in one
    transaction at the end), and tell who asked. False if it had ended."""
    edition = ReportEdition.objects.select_related("requested_by").get(pk=edition_id)
    if not edition.is_running:
        return False
    requester = edition.requested_by
    with translation.override(requester.preferred_language):
        message = _("The server stopped while building this edition: nothing was kept. Ask again.")
    _fail(edition, message, requester)
    edition.refresh_from_db()
    _notify(edition)
    return True


def editions_sweep(*, cutoff: datetime.datetime, edition_id: int | None = None) -> int:
    """End the editions being built that gave no sign of life since `cutoff`."""
    building = ReportEdition.objects.filter(status=EditionStatus.BUILDING)
    return jobs.end_silent(building, cutoff=cutoff, pk=edition_id,
                           end=lambda pk: edition_abandon(edition_id=pk))  # fmt: skip


def _notify(edition: ReportEdition) -> None:
    user = edition.requested_by
    with translation.override(user.preferred_language):
        if edition.status == EditionStatus.READY:
            subject = _("Report ready: %(edition)s") % {"edition": edition}
        else:
            subject = _("Report not built: %(edition)s") % {"edition": edition}
        body = _("See it and download its files: %(link)s") % {
            "link": settings.SITE_URL.rstrip("/") + edition.get_absolute_url()
        }
    send_mail(subject, body, None, [user.email])


def edition_compare(*, edition_id: int) -> ReportEdition:
    """Compare a published edition with the same date's figures as the platform knows them now
    (corrections recorded since included) and keep the differing cells on the edition. Derived
    data, not a change of the edition: written without a history record."""
    edition = ReportEdition.objects.select_related("programme", "cti").get(pk=edition_id)
    if not edition.is_published or edition.figures is None:
        return edition
    now = edition_figures(scope_of(edition, known_by=timezone.now()))
    changes = [asdict(change) for change in figures_changes(edition.figures, now)]
    ReportEdition.objects.filter(pk=edition.pk).update(
        changes=changes, changes_checked_at=timezone.now()
    )
    edition.refresh_from_db()
    return edition


def edition_compare_later(edition: ReportEdition, *, again: bool = False) -> None:
    """Ask a worker for a comparison (the page polls until it is there): the first time, when
    asked `again`, or when the last request went unanswered for longer than a job's lease (its
    worker died)."""
    from pilotage.reports.tasks import compare_edition

    asked = edition.changes_requested_at
    stale = edition.changes_pending and asked is not None and asked < timezone.now() - jobs.lease()
    if asked is not None and not again and not stale:
        return
    ReportEdition.objects.filter(pk=edition.pk).update(changes_requested_at=timezone.now())
    compare_edition.enqueue(edition_id=edition.pk)


@transaction.atomic
def edition_publish(*, actor: User, edition: ReportEdition, reason: str = "") -> ReportEdition:
    """Freeze a built edition: its figures and files are the published ones from now on. It
    supersedes the previous published edition of the same report and scope."""
    edition = access.get_visible(ReportEdition, actor, edition.pk)
    access.ensure_can(actor, "publish", edition)
    edition = ReportEdition.objects.select_for_update().get(pk=edition.pk)
    if edition.is_published:
        raise refusal(_("This edition is already published."), None, ErrorCode.CONFLICT)
    if edition.status != EditionStatus.READY:
        raise refusal(
            _("Only an edition whose files are ready can be published."), None, ErrorCode.CONFLICT
        )
    previous = (
        ReportEdition.objects.select_for_update(of=("self",))
        .filter(kind=edition.kind, programme=edition.programme_id, cti=edition.cti_id)
        .filter(published_at__isnull=False, superseded_by__isnull=True)
        .exclude(pk=edition.pk)
        .order_by("-published_at")
        .first()
    )
    edition.supersedes = previous
    edition.published_by = actor
    edition.published_at = timezone.now()
    return persist(edition, actor=actor, reason=reason)
