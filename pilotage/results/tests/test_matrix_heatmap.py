"""The plan's results matrix as JSON (`/api/v1/programmes/{id}/results-matrix`), what the page's
heatmap draws: the same cells as the page, axis by axis, for the rows the caller may see."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pilotage.core.tests.factories import OrganisationFactory
from pilotage.programmes.models import Agreement
from pilotage.programmes.tests.factories import AxisFactory
from pilotage.results.api import ProgrammeMatrixOut
from pilotage.results.charts import STATUS_COLOURS, matrix_heatmap_spec
from pilotage.results.models import Measurement
from pilotage.results.semantics import format_value
from pilotage.results.tests.test_programme_matrix import (
    ShownCell,
    plan_on_two_axes,
    results_url,
    shown_matrix,
)


def as_the_page_writes(figures: tuple) -> ShownCell:
    """A served cell of a count indicator, (actual, target, achievement, status), as the matrix
    page writes it."""
    actual, target, achievement, status = figures
    return ShownCell(
        status, "—" if actual is None else format_value(actual, "count"),
        "" if target is None else format_value(target, "count"),
        "" if achievement is None else f"{round(float(achievement) * 100)} %",
    )  # fmt: skip


def matrix_json(programme) -> str:
    return f"/api/v1/programmes/{programme.pk}/results-matrix"


def test_the_json_holds_the_cells_of_the_pages_of_every_axis_put_together(cast, client_for, api_as):
    third = OrganisationFactory(acronym="CTIBA")
    programme, axes = plan_on_two_axes(cast, cast.cti_a, cast.cti_b, third)
    Measurement.objects.filter(organisation=third, indicator__code="K2").delete()  # no data
    page = client_for(cast.officer)
    shown = {}
    for axis in axes:
        matrix = shown_matrix(page.get(results_url(programme), {"year": 2024, "axis": axis.pk}))
        for acronym, cells in matrix.rows.items():
            shown.update({(acronym, code, axis.number): cell for code, cell in cells.items()})
    response = api_as(cast.officer)("get", matrix_json(programme), {"year": 2024})
    assert response.status_code == 200, response.content
    answer = response.json()
    ProgrammeMatrixOut.model_validate(answer)  # the shape the API's document gives
    served = {
        (c["cti"], c["indicator"], c["axis"]): (
            *(None if c[k] is None else Decimal(c[k]) for k in ("actual", "target", "achievement")),
            c["status"],
        )
        for c in answer["cells"]
    }
    # A row is a CTI that reported on the indicators shown: CTIBA, silent on axis 2, has no row
    # on that axis's page, and on the whole plan's its axis-2 cell is an empty one.
    assert {key: as_the_page_writes(served[key]) for key in shown} == shown and len(served) == 6
    assert set(served) - set(shown) == {("CTIBA", "K2", 2)}
    assert served[("CTIBA", "K2", 2)] == (None, None, None, "no_data")
    assert served[("CTPC", "K1", 1)] == (90, 100, Decimal("0.9"), "on_track")
    totals = {t["indicator"]: (Decimal(t["value"]), t["coverage"]) for t in answer["totals"]}
    assert totals == {"K1": (90 + 91 + 92, 3), "K2": (50 + 51, 2)}
    assert (answer["year"], answer["axis_id"], answer["cti_id"]) == (2024, None, None)


def test_each_cell_opens_its_ctis_scorecard_for_the_year(cast, api_as):
    programme, _axes = plan_on_two_axes(cast, cast.cti_a, cast.cti_b)
    answer = api_as(cast.officer)("get", matrix_json(programme), {"year": 2024}).json()
    for cti in (cast.cti_a, cast.cti_b):
        contract = Agreement.objects.get(programme=programme, parties__organisation=cti)
        url = reverse("results:contract_scorecard", args=[contract.pk]) + "?year=2024"
        assert {c["url"] for c in answer["cells"] if c["cti"] == cti.acronym} == {url}


def test_a_cti_gets_its_own_row_and_the_programme_totals_never_another_ctis_cells(cast, api_as):
    programme, (first, _second) = plan_on_two_axes(cast, cast.cti_a, cast.cti_b)
    call = api_as(cast.cti_a_staff)
    answer = call("get", matrix_json(programme), {"year": 2024}).json()
    assert {c["cti"] for c in answer["cells"]} == {"CTPC"}
    totals = {t["indicator"]: Decimal(t["value"]) for t in answer["totals"]}
    assert totals == {"K1": 181, "K2": 101}  # programme-wide, as DESIGN §5 allows
    for params in ({"cti": cast.cti_b.pk}, {"cti": cast.cti_b.pk, "axis": first.pk}):
        response = call("get", matrix_json(programme), {"year": 2024, **params})
        assert response.status_code == 200 and response.json()["cells"] == []
        assert '"CETIEV"' not in response.content.decode()


def test_an_axis_and_a_cti_narrow_the_cells_not_the_totals(cast, api_as):
    programme, (first, _second) = plan_on_two_axes(cast, cast.cti_a, cast.cti_b)
    answer = api_as(cast.officer)(
        "get", matrix_json(programme), {"year": 2024, "axis": first.pk, "cti": cast.cti_b.pk}
    ).json()
    assert [(c["cti"], c["indicator"], c["actual"]) for c in answer["cells"]] == [
        ("CETIEV", "K1", "91.0000")
    ]
    assert [(t["indicator"], t["value"], t["coverage"]) for t in answer["totals"]] == [
        ("K1", "181.0000", 2)
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": 1999}, "year"),
        ({"axis": "other plan"}, "axis"),
        ({"cti": "ministry"}, "cti"),
        ({"axis": "abc"}, "axis"),
        ({"cti": "9" * 30}, "cti"),
    ],
)
def test_an_unknown_filter_value_is_refused_with_422(cast, api_as, params, field):
    programme, _axes = plan_on_two_axes(cast, cast.cti_a)
    if params.get("axis") == "other plan":
        params = {"axis": AxisFactory().pk}
    if params.get("cti") == "ministry":
        params = {"cti": cast.ministry.pk}
    response = api_as(cast.officer)("get", matrix_json(programme), params)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]


def test_an_unknown_plan_is_a_404_and_someone_signed_out_gets_a_401(cast, client, api_as):
    programme, _axes = plan_on_two_axes(cast, cast.cti_a)
    assert client.get(matrix_json(programme)).status_code == 401
    missing = f"/api/v1/programmes/{programme.pk + 1000}/results-matrix"
    assert api_as(cast.officer)("get", missing).status_code == 404


def test_the_json_runs_as_many_queries_for_three_ctis_as_for_one(cast, api_as):
    one, _axes = plan_on_two_axes(cast, cast.cti_a)
    three, _axes = plan_on_two_axes(cast, cast.cti_a, cast.cti_b, OrganisationFactory())
    call = api_as(cast.officer)

    def queries(programme) -> int:
        with CaptureQueriesContext(connection) as run:
            response = call("get", matrix_json(programme), {"year": 2024})
        assert response.status_code == 200
        return len(run)

    assert len(call("get", matrix_json(three)).json()["cells"]) == 6
    assert queries(three) == queries(one)


def test_the_heatmap_colours_statuses_as_the_badges_and_shows_figures_in_its_tooltip():
    words = {key: key.upper() for key in ("status", "indicator", "actual", "target",
                                          "achievement", *STATUS_COLOURS)}  # fmt: skip
    spec = matrix_heatmap_spec("/api/v1/programmes/1/results-matrix?year=2024", words, rtl=True)
    colour = spec["encoding"]["color"]["scale"]
    assert colour == {
        "domain": ["ON_TRACK", "AT_RISK", "OFF_TRACK", "NO_DATA"],
        "range": ["#198754", "#ffc107", "#dc3545", "#f8f9fa"],
    }
    tooltip = [item["title"] for item in spec["encoding"]["tooltip"]]
    assert tooltip == ["CTI", "INDICATOR", "ACTUAL", "TARGET", "ACHIEVEMENT", "STATUS"]
    assert spec["encoding"]["x"]["scale"] == {"reverse": True}
