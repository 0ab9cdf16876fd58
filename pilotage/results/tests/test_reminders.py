"""The reminder command (for cron), checked with Django's mail outbox."""

import datetime
from decimal import Decimal

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from pilotage.results.models import Measurement
from pilotage.results.tests.factories import contract_indicator, period_for


def run(**options) -> None:
    call_command("send_reporting_reminders", stdout=open("/dev/null", "w"), **options)  # noqa: SIM115


def test_reporters_are_reminded_of_what_is_missing_before_the_window_closes(cast):
    today = timezone.localdate()
    done = contract_indicator(cast.cti_a, code="ENT")
    missing = contract_indicator(cast.cti_a, code="CA", name="Chiffre d'affaires", kind="money")
    missing.objective.agreement = done.objective.agreement
    missing.objective.programme = done.objective.programme
    missing.objective.save()
    period = period_for(
        done,
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=3),
    )
    Measurement.objects.create(
        indicator=done, period=period, organisation=cast.cti_a, value=Decimal(3), status="submitted"
    )
    run()
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([cast.cti_a_manager.email, cast.cti_a_staff.email])
    body = mail.outbox[0].body
    assert "CA Chiffre d'affaires" in body and "ENT" not in body.split("\n\n", 2)[1]
    assert "CTPC" in mail.outbox[0].subject


def test_nobody_is_reminded_when_everything_is_submitted_or_the_window_is_far(cast):
    today = timezone.localdate()
    indicator = contract_indicator(cast.cti_a)
    period_for(indicator, opens_on=today, closes_on=today + datetime.timedelta(days=60))
    run()
    assert mail.outbox == []


def test_an_overdue_period_warns_the_cti_manager_and_the_ministry(cast):
    today = timezone.localdate()
    indicator = contract_indicator(cast.cti_a)
    period_for(
        indicator,
        opens_on=today - datetime.timedelta(days=60),
        closes_on=today - datetime.timedelta(days=2),
    )
    run()
    recipients = {address for message in mail.outbox for address in message.to}
    assert cast.cti_a_manager.email in recipients and cast.officer.email in recipients
    assert cast.cti_a_staff.email not in recipients and cast.cti_b_manager.email not in recipients


def test_messages_go_out_in_each_persons_language(cast):
    cast.cti_a_manager.preferred_language = "ar"
    cast.cti_a_manager.save()
    today = timezone.localdate()
    indicator = contract_indicator(cast.cti_a)
    period_for(
        indicator,
        opens_on=today - datetime.timedelta(days=60),
        closes_on=today - datetime.timedelta(days=2),
    )
    run()
    [to_manager] = [m for m in mail.outbox if m.to == [cast.cti_a_manager.email]]
    assert any("\u0600" <= ch <= "\u06ff" for ch in to_manager.body)
