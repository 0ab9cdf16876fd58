"""The home page of each role and the watch list (thin: the figures come from selectors.py and
watch.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotage.core import selectors as core_selectors
from pilotage.core.todo import todo_for
from pilotage.dashboards import selectors
from pilotage.dashboards.watch import Rule, watch_list

HOME_ALERTS = 8  # the home page shows the longest-standing alerts; the watch list has them all


@login_required
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    panels = selectors.home_panels(request.user)
    alerts = watch_list(request.user, today)
    context = {
        "panels": panels,
        "glance": selectors.plan_glance(request.user, today) if "plan" in panels else None,
        "contracts": (
            selectors.contract_glances(request.user, today) if "contracts" in panels else []
        ),
        "partnership": (
            selectors.partnership_figures(request.user) if "partnership" in panels else []
        ),
        "alerts": alerts[:HOME_ALERTS],
        "alert_count": len(alerts),
        "todo": todo_for(request.user),
        "summary": core_selectors.home_summary(request.user),
    }
    return render(request, "dashboards/home.html", context)


@login_required
def watch(request: HttpRequest) -> HttpResponse:
    """Every alert the user may see, optionally one rule's; an unknown rule is ignored, said so."""
    alerts = watch_list(request.user, timezone.localdate())
    chosen = request.GET.get("rule", "")
    if chosen and chosen not in {rule.value for rule in Rule}:
        messages.warning(request, _("Unknown alert rule “%(rule)s”: every rule is shown.")
                         % {"rule": chosen[:40]})  # fmt: skip
        chosen = ""
    counts = {rule: sum(alert.rule == rule for alert in alerts) for rule in Rule}
    if chosen:
        alerts = [alert for alert in alerts if alert.rule == chosen]
    context = {"alerts": alerts, "rules": list(Rule), "counts": counts, "rule": chosen}
    return render(request, "dashboards/watch_list.html", context)
