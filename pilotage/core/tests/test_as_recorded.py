"""`as_recorded`: rows as the change history says they stood at a moment."""

import datetime

from freezegun import freeze_time

from pilotage.core.audit import as_recorded
from pilotage.core.models import Organisation
from pilotage.core.tests.factories import OrganisationFactory

MOMENT = datetime.datetime(2024, 12, 31, 23, 0, tzinfo=datetime.UTC)


def states(moment=MOMENT) -> dict[str, str]:
    rows = as_recorded(Organisation, moment).filter(acronym__startswith="AR-")
    return dict(rows.values_list("acronym", "city"))


def test_a_row_reads_as_it_stood_changed_created_or_deleted_since(db):
    with freeze_time("2024-03-01"):
        changed = OrganisationFactory(acronym="AR-CHANGED", city="Fès")
        gone_later = OrganisationFactory(acronym="AR-GONE-LATER", city="Oujda")
        gone_before = OrganisationFactory(acronym="AR-GONE-BEFORE", city="Tanger")
    with freeze_time("2024-06-01"):
        changed.city = "Meknès"
        changed.save()
        gone_before.delete()
    with freeze_time("2025-02-01"):
        changed.city = "Rabat"  # after the moment: not seen
        changed.save()
        gone_later.delete()
        OrganisationFactory(acronym="AR-NEW", city="Agadir")
    assert states() == {"AR-CHANGED": "Meknès", "AR-GONE-LATER": "Oujda"}
    assert states(datetime.datetime(2024, 4, 1, tzinfo=datetime.UTC)) == {
        "AR-CHANGED": "Fès", "AR-GONE-LATER": "Oujda", "AR-GONE-BEFORE": "Tanger",
    }  # fmt: skip
    assert states(datetime.datetime.now(datetime.UTC)) == {
        "AR-CHANGED": "Rabat",
        "AR-NEW": "Agadir",
    }
