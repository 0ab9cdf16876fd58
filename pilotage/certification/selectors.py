"""Reads of the certification app that need more than a filter: the inbox with fast-track
requests first, a campaign's figures against its deadline, the network's taux d'encadrement."""

import datetime
from statistics import median
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from pilotage.certification.models import (
    Decision,
    FastTrackCampaign,
    RequestStage,
    StaffCount,
    ValidationRequest,
    supervision_rate,
)


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
