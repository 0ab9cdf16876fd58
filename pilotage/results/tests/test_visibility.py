"""Who sees which objectives, indicators and values."""

from decimal import Decimal

from pilotage.results.models import Indicator, Measurement, Objective
from pilotage.results.tests.factories import contract_indicator, period_for


def test_a_cti_never_sees_another_ctis_indicators_or_values(cast):
    ours, theirs = contract_indicator(cast.cti_a), contract_indicator(cast.cti_b)
    for indicator, cti in ((ours, cast.cti_a), (theirs, cast.cti_b)):
        Measurement.objects.create(
            indicator=indicator, period=period_for(indicator), organisation=cti, value=Decimal(1)
        )
    assert list(Indicator.objects.visible_to(cast.cti_a_staff)) == [ours]
    assert {m.organisation for m in Measurement.objects.visible_to(cast.cti_a_staff)} == {
        cast.cti_a
    }
    assert Measurement.objects.visible_to(cast.federation_viewer).get().organisation == cast.cti_b


def test_global_objectives_are_read_by_everyone_signed_in(cast):
    specific = contract_indicator(cast.cti_b).objective
    plan_wide = Objective.objects.create(programme=specific.programme, code="OG-1", title="Global")
    assert set(Objective.objects.visible_to(cast.cti_a_staff)) == {plan_wide}
    assert Objective.objects.editable_by(cast.cti_a_manager).count() == 0


def test_ministry_and_auditors_see_every_value(cast):
    indicator = contract_indicator(cast.cti_a)
    Measurement.objects.create(
        indicator=indicator, period=period_for(indicator), organisation=cast.cti_a, value=Decimal(1)
    )
    assert Measurement.objects.visible_to(cast.auditor).count() == 1
    assert Measurement.objects.editable_by(cast.auditor).count() == 0
