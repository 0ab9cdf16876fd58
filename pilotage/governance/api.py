"""API of committees, meetings, decisions and evaluation recommendations: everyone signed in
reads them; ministry roles (the committees' secretariat) write them, through the same forms and
services as the pages. Lists, reads, creation, updates and workflow steps come from the
resources' declarations (`resources.py`); the progress notes' reads are here. Dates are ISO
strings (YYYY-MM-DD), checked by the forms."""

from django.http import HttpRequest
from ninja import Router

from pilotage.core import access
from pilotage.core.registry import add_api_routes
from pilotage.governance import resources
from pilotage.governance.models import ProgressNote, Recommendation
from pilotage.governance.resources import ProgressNoteOut

router = Router(tags=["governance"])
add_api_routes(router, resources.RESOURCES)


# `int:` as the registry's routes: the same path must resolve to one pattern.
@router.get("/recommendations/{int:recommendation_id}/notes", response=list[ProgressNoteOut])
def progress_note_list(request: HttpRequest, recommendation_id: int):
    recommendation = access.get_visible(Recommendation, request.user, recommendation_id)
    return (
        ProgressNote.objects.visible_to(request.user)
        .filter(recommendation=recommendation)
        .prefetch_related("evidence")
    )


@router.get("/progress-notes/{progressnote_id}", response=ProgressNoteOut)
def progress_note_detail(request: HttpRequest, progressnote_id: int) -> ProgressNote:
    return access.get_visible(ProgressNote, request.user, progressnote_id)
