"""The projects pages that are not a resource's (those come from `resources.py`): downloading a
milestone's evidence."""

from pilotage.core.generic_views import StoredDocumentDownload
from pilotage.projects.models import MilestoneEvidence


class EvidenceDownload(StoredDocumentDownload):
    model = MilestoneEvidence
