"""Reads of the certification app that need more than a filter: the inbox with fast-track
requests first, a campaign's figures against its deadline, the network's taux d'encadrement, and
a certificate as the public finds it (by its signed token, or by number and printed code)."""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from statistics import median
from typing import Any

from django.conf import settings
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.urls import reverse
from django.utils import timezone

from pilotage.certification.models import (
    Certificate,
    CertificationComputation,
    Decision,
    FastTrackCampaign,
    Laboratory,
    RequestStage,
    StaffCount,
    TestResult,
    ValidationRequest,
    supervision_rate,
)
from pilotage.core import signing
from pilotage.results.computations import Values, period_bounds


def request_inbox(user: Any) -> Any:
    """The requests the user may see; `queue` is 0 for a fast-track request still open, so that
    sorting by it lists those first."""
    return (
        ValidationRequest.objects.visible_to(user)
        .select_related("delivery__cti", "delivery__company", "campaign", "laboratory")
        .annotate(
            queue=Case(
                When(Q(campaign__isnull=False) & ~Q(stage=RequestStage.DECIDED), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
    )


def staff_totals(queryset: QuerySet[StaffCount]) -> dict[str, Any]:
    """Sums of the counts and the rate they give (summed numerator over summed denominator)."""
    sums = queryset.aggregate(
        graduates=Sum("graduates"), technicians=Sum("technicians"),
        administrative=Sum("administrative"),
    )  # fmt: skip
    graduates = sums["graduates"] or 0
    total = graduates + (sums["technicians"] or 0) + (sums["administrative"] or 0)
    return {**sums, "total": total, "rate": supervision_rate(graduates, total)}


def campaign_figures(campaign: FastTrackCampaign, user: Any) -> dict[str, Any]:
    """What the campaign's page shows: requests by stage, decisions, and the time from sample to
    decision against the campaign's deadline — over the requests this user may see."""
    requests = ValidationRequest.objects.visible_to(user).filter(campaign=campaign)
    by_stage = dict(requests.values_list("stage").annotate(n=Count("pk")).order_by())
    counts = requests.aggregate(
        total=Count("pk"),
        conforming=Count("pk", filter=Q(decision=Decision.CONFORMING)),
        not_conforming=Count("pk", filter=Q(decision=Decision.NOT_CONFORMING)),
    )
    deadline = datetime.timedelta(hours=campaign.decision_hours)
    decided = requests.filter(stage=RequestStage.DECIDED).values_list(
        "sample_received_at", "decided_at"
    )
    hours = [(end - start).total_seconds() / 3600 for start, end in decided]
    # Open requests whose sample arrived longer ago than the deadline: already late.
    late_open = (
        requests.exclude(stage=RequestStage.DECIDED)
        .filter(sample_received_at__lt=timezone.now() - deadline)
        .count()
    )
    return {
        "by_stage": [(stage, by_stage.get(stage, 0)) for stage in RequestStage],
        **counts,
        "decided": len(hours),
        "within_deadline": sum(1 for h in hours if h <= campaign.decision_hours),
        "median_hours": round(median(hours), 1) if hours else None,
        "max_hours": round(max(hours), 1) if hours else None,
        "late_open": late_open,
    }


# --- certificates: what their QR code carries, and the public lookups ------------------------


def certificate_token(certificate: Certificate) -> str:
    """The signed token of the QR code: the certificate's id and number, nothing personal."""
    return signing.sign({"c": certificate.pk, "n": certificate.number})


def verification_url(certificate: Certificate) -> str:
    path = reverse("certification:verify_token", args=[certificate_token(certificate)])
    return settings.SITE_URL.rstrip("/") + path


def certificate_by_token(token: str) -> Certificate | None:
    """The certificate a genuine token names (one indexed lookup after one signature check);
    None for a forged or altered token, or one naming no certificate."""
    try:
        payload = signing.verify(token)
    except signing.InvalidToken:
        return None
    pk, number = payload.get("c"), payload.get("n")
    if not isinstance(pk, int) or not isinstance(number, str):
        return None
    return _public(Certificate.objects.filter(pk=pk, number=number))


def certificate_by_number(number: str, code: str) -> Certificate | None:
    """The certificate with this number and the short code printed on it; None otherwise — the
    caller cannot tell a wrong number from a wrong code."""
    code = code.strip().upper().replace(" ", "").replace("-", "")
    if not number.strip() or len(code) != 8:
        return None
    return _public(Certificate.objects.filter(number=number.strip(), short_code=code))


def _public(rows: QuerySet[Certificate]) -> Certificate | None:
    return rows.select_related("cti", "holder").first()


# --- computed indicators ---------------------------------------------------------------------


def computed_actuals(*, cti_ids: Iterable[int], year: int, part: int = 0) -> Values:
    """The certification computations for these CTIs and period (results.computations), one
    grouped query per kind of record. Like the services register's, reads every CTI asked for:
    callers pass only CTIs whose results the user may see, and only figures leave."""
    ids = list(cti_ids)
    first, last = period_bounds(year, part)
    values: Values = {cti_id: {} for cti_id in ids}

    def put(rows: Any, **names: str) -> None:
        for row in rows:
            for computation, column in names.items():
                values[row["owner"]][(computation, "")] = Decimal(row[column] or 0)

    C = CertificationComputation
    put(
        TestResult.objects.filter(request__delivery__cti__in=ids, tested_on__range=(first, last))
        .values(owner=F("request__delivery__cti")).annotate(n=Count("pk")).order_by(),
        **{C.TESTS_PERFORMED: "n"},
    )  # fmt: skip
    decided_in = Q(decided_at__date__range=(first, last), decision=Decision.CONFORMING)
    put(
        ValidationRequest.objects.filter(decided_in, delivery__cti__in=ids)
        .values(owner=F("delivery__cti"))
        .annotate(n=Count("pk"), fast=Count("pk", filter=Q(campaign__isnull=False)))
        .order_by(),
        **{C.PRODUCTS_VALIDATED: "n", C.PRODUCTS_VALIDATED_FAST_TRACK: "fast"},
    )  # fmt: skip
    # Valid at the period's end: issued by then, not yet expired, not suspended or withdrawn by
    # then (a later suspension does not undo the period's count).
    sanctioned = Q(status__in=("suspended", "withdrawn"), status_changed_on__lte=last)
    valid_then = Q(issued_on__lte=last, valid_until__gte=last) & ~sanctioned
    put(
        Certificate.objects.filter(cti__in=ids).values(owner=F("cti_id")).annotate(
            issued=Count("pk", filter=Q(issued_on__range=(first, last))),
            valid=Count("pk", filter=valid_then),
        ).order_by(),
        **{C.CERTIFICATES_ISSUED: "issued", C.CERTIFICATES_VALID: "valid"},
    )  # fmt: skip
    put(
        Laboratory.objects.filter(cti__in=ids, accredited_until__gte=last, is_active=True)
        .exclude(accreditation_number="")
        .values(owner=F("cti_id")).annotate(n=Count("pk")).order_by(),
        **{C.LABORATORIES_ACCREDITED: "n"},
    )  # fmt: skip
    for count in StaffCount.objects.filter(cti__in=ids, year=year):
        values[count.cti_id][(C.STAFF_TOTAL, "")] = Decimal(count.total)
        rate = count.supervision_rate
        if rate is not None:
            values[count.cti_id][(C.SUPERVISION_RATE, "")] = rate
    return values
