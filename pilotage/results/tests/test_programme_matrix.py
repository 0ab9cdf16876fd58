"""The plan's CTI × indicator matrix and its programme-wide roll-up."""

import json
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from pilotage.core import figures
from pilotage.core.tests.factories import OrganisationFactory
from pilotage.programmes.tests.factories import AxisFactory, ProgrammeFactory, agreement_with
from pilotage.results.models import Indicator, Measurement, Objective, Target
from pilotage.results.selectors import FIGURES
from pilotage.results.tests.factories import (
    ReportingPeriodFactory,
    contract_indicator,
    period_for,
)


def validated(indicator, cti, **values):
    return Measurement.objects.create(
        indicator=indicator,
        period=period_for(indicator),
        organisation=cti,
        status="validated",
        **values,
    )


def two_ctis(cast, kind="count", aggregation="sum"):
    """CTI A's and CTI B's indicator K under one plan, on its first axis (of two): the axis the
    matrix page shows when none is asked for."""
    a = contract_indicator(cast.cti_a, kind=kind, aggregation=aggregation, code="K")
    b = contract_indicator(cast.cti_b, kind=kind, aggregation=aggregation, code="K")
    first = AxisFactory(programme=a.objective.programme, number=1)
    AxisFactory(programme=a.objective.programme, number=2)
    a.objective.axis = first
    a.objective.save()
    b.objective.programme = a.objective.programme
    b.objective.axis = first
    b.objective.save()
    b.objective.agreement.programme = a.objective.programme
    b.objective.agreement.save()
    return a, b


@dataclass(frozen=True)
class ShownCell:
    """A cell as the page writes it: its status, and its figures as people read them."""

    status: str
    actual: str
    target: str
    achievement: str


CELL = re.compile(
    r'<td class="[^"]*" data-code="(?P<code>[^"]*)" data-status="(?P<status>[^"]*)">'
    r'(?P<actual>[^<]*)<div class="small text-muted">(?:/ (?P<target>[^<·]*))?'
    r"(?: · (?P<achievement>[^<]*))?</div></td>"
)


@dataclass(frozen=True)
class ShownMatrix:
    codes: list[tuple[str, str, str]]
    totals: dict  # by code: the programme-wide figure (`semantics.Aggregate`)
    rows: dict[str, dict[str, ShownCell]]  # by CTI acronym, in the page's order: cells by code


def shown_matrix(response) -> ShownMatrix:
    """What the matrix page shows: its rows' cells read back from the HTML written for them."""
    assert response.status_code == 200
    rows = {}
    for cti, written in response.context["rows"]:
        assert f'<tr data-cti="{cti.acronym}">' in response.content.decode()
        cells = {}
        for found in CELL.finditer(written):
            parts = found.groupdict()
            code = parts.pop("code")
            cells[code] = ShownCell(**{name: (text or "").strip() for name, text in parts.items()})
        rows[cti.acronym] = cells
    matrix = response.context["matrix"]
    return ShownMatrix(matrix.codes, matrix.totals, rows)


def matrix_page(client, indicator) -> ShownMatrix:
    """The matrix as the page shows it by default (no `axis`): the plan's first axis."""
    url = reverse("results:programme_results", args=[indicator.objective.programme_id])
    response = client.get(url, {"year": 2024})
    assert response.context["axis"].number == 1
    return shown_matrix(response)


def test_the_programme_total_sums_counts_across_ctis_and_each_cell_scores_its_target(
    cast, client_for
):
    a, b = two_ctis(cast)
    Target.objects.create(indicator=a, year=2024, value=Decimal(100))
    validated(a, cast.cti_a, value=Decimal(90))
    validated(b, cast.cti_b, value=Decimal(30))
    matrix = matrix_page(client_for(cast.officer), a)
    cells = {acronym: row["K"] for acronym, row in matrix.rows.items()}
    assert cells["CTPC"] == ShownCell("on_track", "90", "100", "90 %")
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
    assert list(matrix.rows) == ["CTPC"]
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
    assert matrix_page(client_for(cast.officer), a).rows["CTPC"]["K"].status == "on_track"
    settings.RESULTS_ON_TRACK = "0.95"
    assert matrix_page(client_for(cast.officer), a).rows["CTPC"]["K"].status == "at_risk"


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

    def shown() -> tuple[str, Decimal]:
        cell = matrix_page(client_for(cast.officer), a).rows["CTPC"]["K"]
        score = client_for(cast.officer).get(scorecard).context["rows"][0][0]
        return cell.actual, score.actual.value

    assert shown() == ("50", Decimal(50))
    correction.status = "validated"
    correction.save()
    assert shown() == ("52", Decimal(52))


# --- one axis at a time, the whole plan as a heatmap, filters (issue 16) ------------------------


def plan_on_two_axes(cast, *ctis):
    """A plan of two axes and, for each CTI given, a contrat-objectifs under it with K1 on axis 1
    and K2 on axis 2, each with a 2024 target of 100 and a validated 2024 value: 90 and 50 for
    the first CTI, one more for each next one (another CTI's figures are told apart)."""
    programme = ProgrammeFactory()
    axes = [AxisFactory(programme=programme, number=n) for n in (1, 2)]
    period = ReportingPeriodFactory(programme=programme, year=2024)
    for rank, cti in enumerate(ctis):
        agreement = agreement_with(cti, cast.ministry, programme=programme)
        for axis, value in zip(axes, (90, 50), strict=True):
            objective = Objective.objects.create(
                programme=programme, axis=axis, agreement=agreement, code=f"OS-{axis.number}",
                title="Servir",
            )  # fmt: skip
            indicator = Indicator.objects.create(
                objective=objective, code=f"K{axis.number}", name=f"Indicateur {axis.number}",
                definition="Bench", unit="entreprises", kind="count", aggregation="sum",
            )  # fmt: skip
            Target.objects.create(indicator=indicator, year=2024, value=Decimal(100))
            Measurement.objects.create(
                indicator=indicator, period=period, organisation=cti, status="validated",
                value=Decimal(value + rank),
            )  # fmt: skip
    return programme, axes


def results_url(programme) -> str:
    return reverse("results:programme_results", args=[programme.pk])


def notices(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_page_shows_the_plans_first_axis_by_default_then_the_one_asked_for(cast, client_for):
    programme, (first, second) = plan_on_two_axes(cast, cast.cti_a, cast.cti_b)
    client = client_for(cast.officer)
    shown = client.get(results_url(programme), {"year": 2024})
    assert shown.context["axis"] == first
    assert [code for code, _name, _kind in shown.context["matrix"].codes] == ["K1"]
    other = client.get(results_url(programme), {"year": 2024, "axis": second.pk})
    assert [code for code, _name, _kind in other.context["matrix"].codes] == ["K2"]
    cells = {acronym: row["K2"] for acronym, row in shown_matrix(other).rows.items()}
    assert (cells["CTPC"].actual, cells["CETIEV"].actual) == ("50", "51")
    assert not notices(shown) and not notices(other)


def test_each_cell_shows_actual_target_achievement_and_its_status(cast, client_for):
    programme, (first, second) = plan_on_two_axes(cast, cast.cti_a)
    client = client_for(cast.officer)
    on_track = client.get(results_url(programme), {"year": 2024, "axis": first.pk})
    assert (
        '<td class="table-success" data-code="K1" data-status="on_track">90'
        '<div class="small text-muted">/ 100 · 90 %</div></td>'
    ) in on_track.content.decode()
    off_track = client.get(results_url(programme), {"year": 2024, "axis": second.pk})
    assert (
        '<td class="table-danger" data-code="K2" data-status="off_track">50'
        '<div class="small text-muted">/ 100 · 50 %</div></td>'
    ) in off_track.content.decode()
    Indicator.objects.filter(code="K2").update(code="<K2>", kind="money")
    Target.objects.filter(indicator__code="<K2>").delete()
    escaped = client.get(results_url(programme), {"year": 2024, "axis": second.pk})
    assert (
        '<td class="" data-code="&lt;K2&gt;" data-status="no_data">50,00\u00a0DH'
        '<div class="small text-muted"></div></td>'
    ) in escaped.content.decode()


def test_the_whole_plan_is_a_heatmap_that_reads_the_api_not_thousands_of_cells(cast, client_for):
    programme, axes = plan_on_two_axes(cast, cast.cti_a)
    response = client_for(cast.officer).get(results_url(programme), {"year": 2024, "axis": "all"})
    assert response.status_code == 200 and "matrix" not in response.context
    data_url = f"/api/v1/programmes/{programme.pk}/results-matrix?year=2024"
    assert response.context["data_url"] == data_url
    spec = json.loads(response.context["spec"])
    assert spec["data"]["url"] == data_url and spec["data"]["format"]["property"] == "cells"
    assert spec["encoding"]["href"] == {"field": "url"}
    page = response.content.decode()
    assert 'id="programme-heatmap"' in page and "vendor/vega-embed/vega-embed.min.js" in page
    assert 'role="img" aria-label="' in page
    for axis in axes:  # the same figures as tables, an axis at a time
        assert f"?year=2024&amp;axis={axis.pk}" in page


def test_a_cti_chosen_keeps_its_row_and_the_programme_totals(cast, client_for):
    programme, _axes = plan_on_two_axes(cast, cast.cti_a, cast.cti_b)
    response = client_for(cast.officer).get(
        results_url(programme), {"year": 2024, "cti": cast.cti_b.pk}
    )
    matrix = shown_matrix(response)
    assert list(matrix.rows) == ["CETIEV"]
    assert (matrix.totals["K1"].value, matrix.totals["K1"].coverage) == (Decimal(181), 2)
    assert [c.acronym for c in response.context["choices"].ctis] == ["CETIEV", "CTPC"]


def test_a_cti_asking_for_another_ctis_row_gets_no_row(cast, client_for):
    programme, _axes = plan_on_two_axes(cast, cast.cti_a, cast.cti_b)
    response = client_for(cast.cti_a_staff).get(
        results_url(programme), {"year": 2024, "cti": cast.cti_b.pk}
    )
    assert response.status_code == 200
    assert shown_matrix(response).rows == {}
    assert 'data-cti="CETIEV"' not in response.content.decode()


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"axis": "abc"}, "Unknown axis: the first axis is shown."),
        ({"axis": "9" * 30}, "Unknown axis: the first axis is shown."),
        ({"axis": "other plan"}, "Unknown axis: the first axis is shown."),
        ({"year": "1999"}, "Unknown year: 2025 is shown."),
        ({"year": "²"}, "Unknown year: 2025 is shown."),
        ({"cti": "CTPC"}, "Unknown CTI: every CTI is shown."),
        ({"cti": "ministry"}, "Unknown CTI: every CTI is shown."),
    ],
)
def test_an_unknown_filter_value_is_ignored_with_a_notice(cast, client_for, params, notice):
    programme, (first, _second) = plan_on_two_axes(cast, cast.cti_a, cast.cti_b)
    if params.get("axis") == "other plan":
        params = {"axis": AxisFactory().pk}
    if params.get("cti") == "ministry":
        params = {"cti": cast.ministry.pk}
    response = client_for(cast.officer).get(results_url(programme), params)
    assert response.status_code == 200
    with translation.override("fr"):  # the pages answer in French, the platform's default
        said = gettext(notice.replace("2025", "%(year)s")) % {"year": 2025}
    assert said != notice and notices(response) == [said]
    assert escape(said) in response.content.decode()
    assert response.context["axis"] == first
    assert list(shown_matrix(response).rows) == ["CETIEV", "CTPC"]


def test_a_page_of_one_axis_runs_as_many_queries_for_three_ctis_as_for_one(cast, client_for):
    one, _axes = plan_on_two_axes(cast, cast.cti_a)
    three, _axes = plan_on_two_axes(cast, cast.cti_a, cast.cti_b, OrganisationFactory())
    client = client_for(cast.officer)

    def queries(programme) -> tuple[int, int]:
        """(computed, kept): with nothing in the cache, then with the figures kept."""
        client.get(results_url(programme), {"year": 2024})  # the session is warm
        counts = []
        for kept in (False, True):
            if not kept:
                figures.renew(FIGURES)
            with CaptureQueriesContext(connection) as run:
                response = client.get(results_url(programme), {"year": 2024})
            assert response.status_code == 200
            counts.append(len(run))
        return counts[0], counts[1]

    few, many = queries(one), queries(three)
    assert len(shown_matrix(client.get(results_url(three))).rows) == 3
    assert many == few, (few, many)
    assert few[1] < few[0]  # kept figures are not read again


def test_someone_signed_out_is_sent_to_sign_in(cast, client):
    programme, _axes = plan_on_two_axes(cast, cast.cti_a)
    response = client.get(results_url(programme), {"axis": "all"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- the figures kept in the cache (DESIGN §9) ----------------------------------------------------


def test_a_value_validated_after_the_matrix_was_shown_is_in_the_next_one(cast, client_for):
    """The figures are kept until a row they are computed from changes, through the service
    the officer uses as through any other save."""
    from pilotage.results import services

    a, b = two_ctis(cast)
    validated(a, cast.cti_a, value=Decimal(90))
    submitted = Measurement.objects.create(
        indicator=b, period=period_for(b), organisation=cast.cti_b, value=Decimal(30),
        status="submitted",
    )  # fmt: skip
    client = client_for(cast.officer)
    assert matrix_page(client, a).totals["K"].value == Decimal(90)
    assert matrix_page(client, a).totals["K"].value == Decimal(90)  # kept
    services.measurement_validate(actor=cast.officer, measurement=submitted)
    assert matrix_page(client, a).totals["K"].value == Decimal(120)
    Target.objects.create(indicator=a, year=2024, value=Decimal(180))
    cell = matrix_page(client, a).rows["CTPC"]["K"]
    assert (cell.target, cell.achievement) == ("180", "50 %")
    page = client.get(reverse("results:programme_results", args=[a.objective.programme_id]),
                      {"year": 2024}).content.decode()  # fmt: skip
    assert "/ 180 · 50 %" in page  # the row's cells were written again too
    Target.objects.filter(indicator=a).delete()
    cell = matrix_page(client, a).rows["CTPC"]["K"]
    assert (cell.target, cell.status) == ("", "no_data")


def test_figures_kept_for_the_ministry_show_a_cti_its_own_row_only(cast, client_for):
    a, b = two_ctis(cast)
    validated(a, cast.cti_a, value=Decimal(90))
    validated(b, cast.cti_b, value=Decimal(30))
    assert len(matrix_page(client_for(cast.officer), a).rows) == 2
    matrix = matrix_page(client_for(cast.cti_a_staff), a)
    assert list(matrix.rows) == ["CTPC"]
    assert matrix.totals["K"].value == Decimal(120)
    url = reverse("api:programme_results_matrix", args=[a.objective.programme_id])
    body = client_for(cast.cti_a_staff).get(url, {"year": 2024}).json()
    assert {cell["cti"] for cell in body["cells"]} == {"CTPC"}


def test_the_figures_are_kept_per_language(cast, client_for):
    a, _b = two_ctis(cast)
    Indicator.objects.filter(code="K").update(name_fr="Entreprises servies", name_ar="المقاولات")
    figures.renew(FIGURES)  # `update()` sends no signal
    validated(a, cast.cti_a, value=Decimal(90))
    client = client_for(cast.officer)
    for language, name in (("fr", "Entreprises servies"), ("ar", "المقاولات")):
        cast.officer.preferred_language = language
        cast.officer.save(update_fields=["preferred_language"])
        assert matrix_page(client, a).codes == [("K", name, "count")]


def test_the_token_is_replaced_again_when_the_transaction_commits(
    cast, django_capture_on_commit_callbacks
):
    """A page read between the write and its commit may keep the figures as they were, under the
    token the write gave: the commit gives another."""
    before = figures.token(FIGURES)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        contract_indicator(cast.cti_a, code="K")
        contract_indicator(cast.cti_b, code="K")  # more rows, one token at commit
        written = figures.token(FIGURES)
    assert before != written != figures.token(FIGURES)
    assert len([c for c in callbacks if getattr(c, "topic", None) == FIGURES]) == 1


def test_a_cache_that_lost_the_token_computes_the_figures_again(cast, client_for):
    from django.core.cache import cache

    a, _b = two_ctis(cast)
    validated(a, cast.cti_a, value=Decimal(90))
    client = client_for(cast.officer)
    assert matrix_page(client, a).totals["K"].value == Decimal(90)
    cache.delete("figures:results:token")
    Measurement.objects.filter(indicator=a).update(value=Decimal(70))  # no signal, no renew
    assert matrix_page(client, a).totals["K"].value == Decimal(70)
