import datetime

from django.core.files.base import ContentFile

from pilotage.core.testing import owned_object_factory
from pilotage.core.tests.factories import UserFactory
from pilotage.programmes.tests.factories import ProgrammeFactory
from pilotage.reports.models import EditionFile, EditionStatus, ReportEdition, ReportKind


def cti_report(cti, **fields) -> ReportEdition:
    """A built CTI report edition (figures and files are the tests' business elsewhere)."""
    requester = UserFactory()
    defaults = {"kind": ReportKind.CTI_REPORT, "programme": ProgrammeFactory(code="PLAN-REP"),
                "cti": cti, "as_of": datetime.date(2024, 12, 31), "status": EditionStatus.READY,
                "figures": {"sections": {}}, "requested_by": requester}  # fmt: skip
    defaults.update(fields)
    return ReportEdition.objects.create(**defaults)


@owned_object_factory(ReportEdition)
def _owned_edition(cti):
    return cti_report(cti)


@owned_object_factory(EditionFile)
def _owned_file(cti):
    stored = EditionFile(edition=cti_report(cti), format="pdf", language="fr", title="r.pdf",
                         sha256="0" * 64, size=4)  # fmt: skip
    stored.file.save("r.pdf", ContentFile(b"%PDF"), save=False)
    stored.save()
    return stored
