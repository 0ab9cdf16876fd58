"""API of the dashboards: the watch list as JSON (the same alerts as the page)."""

import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from pilotage.dashboards.watch import Rule, watch_list

router = Router(tags=["dashboards"])


class AlertOut(Schema):
    rule: Rule
    label: str
    subject: str
    reason: str
    url: str
    since: datetime.date
    organisation_id: int | None


@router.get("/dashboards/watch", response=list[AlertOut])
def watch(request: HttpRequest, rule: Rule | None = None):
    alerts = watch_list(request.user, timezone.localdate())
    return [alert for alert in alerts if rule is None or alert.rule == rule]
