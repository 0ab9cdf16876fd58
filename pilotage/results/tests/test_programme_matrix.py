"""The plan's CTI × indicator matrix and its programme-wide roll-up."""

from decimal import Decimal

from django.urls import reverse

from pilotage.results.models import Measurement, Target
from pilotage.results.tests.factories import contract_indicator, period_for


def validated(indicator, cti, **values):
    return Measurement.objects.create(
        indicator=indicator,
        period=period_for(indicator),
        organisation=cti,
        status="validated",
        **values,
    )


def two_ctis(cast, kind="count", aggregation="sum"):
    a = contract_indicator(cast.cti_a, kind=kind, aggregation=aggregation, code="K")
    b = contract_indicator(cast.cti_b, kind=kind, aggregation=aggregation, code="K")
    b.objective.programme = a.objective.programme
    b.objective.save()
    b.objective.agreement.programme = a.objective.programme
    b.objective.agreement.save()
    return a, b


def matrix_page(client, indicator):
    url = reverse("results:programme_results", args=[indicator.objective.programme_id])
    return client.get(url, {"year": 2024}).context["matrix"]


def test_the_programme_total_sums_counts_across_ctis_and_each_cell_scores_its_target(
    cast, client_for
):
    a, b = two_ctis(cast)
    Target.objects.create(indicator=a, year=2024, value=Decimal(100))
    validated(a, cast.cti_a, value=Decimal(90))
    validated(b, cast.cti_b, value=Decimal(30))
    matrix = matrix_page(client_for(cast.officer), a)
    cells = {cti.acronym: row["K"] for cti, row in matrix.rows}
    assert (cells["CTPC"].achievement, cells["CTPC"].status) == (Decimal("0.9"), "on_track")
    assert cells["CETIEV"].status == "no_data"  # no target for CETIEV
    assert (matrix.totals["K"].value, matrix.totals["K"].coverage) == (Decimal(120), 2)


def test_percentages_roll_up_from_numerators_and_denominators_not_by_averaging(cast, client_for):
    a, b = two_ctis(cast, kind="percentage", aggregation="cumulative_latest")
    validated(a, cast.cti_a, numerator=Decimal(1), denominator=Decimal(10))  # 10 %
    validated(b, cast.cti_b, numerator=Decimal(45), denominator=Decimal(50))  # 90 %
    total = matrix_page(client_for(cast.officer), a).totals["K"]
    assert total.value == Decimal(100) * 46 / 60  # 76.67 %, not the mean 50 %


def test_a_cti_sees_its_own_row_and_the_programme_total_only(cast, client_for):
    a, b = two_ctis(cast)
    validated(a, cast.cti_a, value=Decimal(90))
    validated(b, cast.cti_b, value=Decimal(30))
    matrix = matrix_page(client_for(cast.cti_a_staff), a)
    assert [cti.acronym for cti, _cells in matrix.rows] == ["CTPC"]
    assert matrix.totals["K"].value == Decimal(120)


def test_unvalidated_values_do_not_count(cast, client_for):
    a, _b = two_ctis(cast)
    Measurement.objects.create(
        indicator=a,
        period=period_for(a),
        organisation=cast.cti_a,
        value=Decimal(5),
        status="submitted",
    )
    assert matrix_page(client_for(cast.officer), a).totals["K"].value is None


def test_status_bands_are_configurable(cast, client_for, settings):
    a, _b = two_ctis(cast)
    Target.objects.create(indicator=a, year=2024, value=Decimal(100))
    validated(a, cast.cti_a, value=Decimal(85))
    settings.RESULTS_ON_TRACK = "0.8"
    cells = dict(matrix_page(client_for(cast.officer), a).rows)
    assert cells[cast.cti_a]["K"].status == "on_track"
    settings.RESULTS_ON_TRACK = "0.95"
    cells = dict(matrix_page(client_for(cast.officer), a).rows)
    assert cells[cast.cti_a]["K"].status == "at_risk"


def test_a_correction_counts_once_validated_and_hides_nothing_before(cast, client_for):
    """The matrix and the scorecard show the validated revision in force: a correction in
    progress leaves the validated value shown, a validated one replaces it (not added to it)."""
    from pilotage.results import services

    a, _b = two_ctis(cast)
    first = validated(a, cast.cti_a, value=Decimal(50))
    correction = services.measurement_revise(
        actor=cast.cti_a_staff, measurement=first, reason="Erreur de saisie"
    )
    correction.value = Decimal(52)
    correction.save()
    agreement = a.objective.agreement
    scorecard = reverse("results:contract_scorecard", args=[agreement.pk]) + "?year=2024"

    def shown() -> tuple[Decimal, Decimal]:
        matrix = matrix_page(client_for(cast.officer), a)
        cell = {cti.acronym: row["K"] for cti, row in matrix.rows}["CTPC"]
        score = client_for(cast.officer).get(scorecard).context["rows"][0][0]
        return cell.actual.value, score.actual.value

    assert shown() == (Decimal(50), Decimal(50))
    correction.status = "validated"
    correction.save()
    assert shown() == (Decimal(52), Decimal(52))
