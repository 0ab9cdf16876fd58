"""Demo report editions: the plan's bilan as of 31 December 2024, published (PDF and workbook in
French and Arabic, open data), and a draft as of today.

The demo loads years of records in one go, so their history says "recorded today". Before the
editions are built, the demo's records are dated the way they would have been entered over the
plan's life (an entry on its date, a delivery when it started, a count at the end of its year):
an edition as of 2024 then sees what a platform in use since 2022 would have held. (The ledger
demo records each entry on its own date already: the journal cannot be updated.)"""

import datetime

from django.utils import timezone

from pilotage.certification.models import Certificate, Laboratory, StaffCount
from pilotage.core.models import User
from pilotage.governance.models import Decision, Recommendation
from pilotage.prestations.models import ServiceDelivery
from pilotage.programmes.models import Programme
from pilotage.projects.models import Project
from pilotage.reports import services
from pilotage.reports.models import ReportEdition, ReportKind
from pilotage.results.models import Indicator, Target
from pilotage.standards.models import StandardWork
from pilotage.training.models import Trainee

REASON = "Demo data (manage.py load_demo)"
PUBLISHED_AS_OF = datetime.date(2024, 12, 31)
# Indicators whose validated values the demo publishes as open data.
PUBLIC_INDICATORS = ("CA", "ENT", "CERT")


def load(actor: User) -> None:
    programme = Programme.objects.filter(code="PDCTI-2022-2025").first()
    if programme is None or ReportEdition.objects.exists():
        return
    _date_the_records()
    Indicator.objects.filter(code__in=PUBLIC_INDICATORS).update(is_public=True)
    published = _built(actor, programme, PUBLISHED_AS_OF)
    services.edition_publish(actor=actor, edition=published, reason=REASON)
    # The draft as of today is left to the worker `make demo` starts (its page shows progress).
    _requested(actor, programme, timezone.localdate())


def _requested(actor: User, programme: Programme, as_of: datetime.date) -> ReportEdition:
    return services.edition_request(
        actor=actor, kind=ReportKind.PLAN_BILAN, programme=programme, as_of=as_of, reason=REASON
    )


def _built(actor: User, programme: Programme, as_of: datetime.date) -> ReportEdition:
    edition = _requested(actor, programme, as_of)
    # Built here rather than by the worker: the demo opens with the published edition ready.
    return services.edition_build(edition_id=edition.pk, notify=False)


def _noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)


def _date_by(history, field: str) -> None:
    """Date every historical row of a model on the day its record's `field` says."""
    for day in history.order_by().values_list(field, flat=True).distinct():
        if day is not None:
            history.filter(**{field: day}).update(history_date=_noon(day))


def _date_the_records() -> None:
    """Date each demo record's history on the day it would have been entered."""
    _date_by(ServiceDelivery.history, "started_on")
    _date_by(Certificate.history, "issued_on")
    _date_by(StandardWork.history, "proposed_on")
    _date_by(Project.history, "starts_on")
    _date_by(Decision.history, "decided_on")
    _date_by(Recommendation.history, "evaluation__delivered_on")
    _date_by(Trainee.history, "cohort__starts_on")
    start = _noon(datetime.date(2022, 1, 3))
    Laboratory.history.update(history_date=start)
    Target.history.update(history_date=start)
    for year in StaffCount.objects.values_list("year", flat=True).distinct():
        StaffCount.history.filter(year=year).update(
            history_date=_noon(datetime.date(year + 1, 1, 15))
        )
