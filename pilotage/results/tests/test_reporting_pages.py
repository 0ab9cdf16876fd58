"""The reporting sheet and scorecard pages, walked as the CTI and the ministry would."""

from decimal import Decimal

from django.urls import reverse

from pilotage.results.models import Measurement, MeasurementStatus, Target
from pilotage.results.tests.factories import contract_indicator, period_for


def setup_contract(cast):
    kpi = contract_indicator(cast.cti_a, code="ENT", name="Entreprises servies")
    rate = contract_indicator(cast.cti_a, kind="percentage", code="ENC", name="Taux d'encadrement")
    # Both indicators on the same contract: move the second under the first one's agreement.
    rate.objective.agreement = kpi.objective.agreement
    rate.objective.programme = kpi.objective.programme
    rate.objective.save()
    period = period_for(kpi)
    Target.objects.create(indicator=kpi, year=2024, value=Decimal(100))
    return kpi.objective.agreement, kpi, rate, period


def sheet_url(agreement, period):
    return reverse("results:contract_reporting", args=[agreement.pk]) + f"?period={period.pk}"


def test_staff_fill_the_sheet_in_french_number_format(cast, client_for):
    agreement, kpi, rate, period = setup_contract(cast)
    response = client_for(cast.cti_a_staff).post(
        sheet_url(agreement, period),
        {
            f"value-{kpi.pk}": "1 234",
            f"numerator-{rate.pk}": "12,5",
            f"denominator-{rate.pk}": "50",
        },
    )
    assert response.status_code == 302
    values = {m.indicator.code: (m.value, m.numerator, m.status) for m in Measurement.objects.all()}
    assert values == {
        "ENT": (Decimal(1234), None, "draft"),
        "ENC": (None, Decimal("12.5"), "draft"),
    }


def test_text_in_a_number_field_is_refused_in_french_and_nothing_is_saved(cast, client_for):
    agreement, kpi, rate, period = setup_contract(cast)
    response = client_for(cast.cti_a_staff).post(
        sheet_url(agreement, period),
        {f"value-{kpi.pk}": "N/A", f"numerator-{rate.pk}": "3", f"denominator-{rate.pk}": "10"},
    )
    assert response.status_code == 422
    assert response.context["form"].errors[f"value-{kpi.pk}"] == ["Saisissez un nombre."]
    assert not Measurement.objects.exists()


def test_one_bad_line_saves_no_line(cast, client_for):
    agreement, kpi, rate, period = setup_contract(cast)
    response = client_for(cast.cti_a_staff).post(
        sheet_url(agreement, period),
        {f"value-{kpi.pk}": "10", f"numerator-{rate.pk}": "3"},  # denominator missing
    )
    assert response.status_code == 422
    assert response.context["form"].errors[f"denominator-{rate.pk}"]
    assert not Measurement.objects.exists()


def test_submit_return_correct_validate_then_the_scorecard_shows_it(cast, client_for):
    agreement, kpi, _rate, period = setup_contract(cast)
    url = sheet_url(agreement, period)
    client_for(cast.cti_a_staff).post(url, {f"value-{kpi.pk}": "80"})
    measurement = Measurement.objects.get(indicator=kpi)

    client_for(cast.cti_a_manager).post(
        reverse("results:measurement_submit", args=[measurement.pk])
    )
    client_for(cast.officer).post(
        reverse("results:measurement_return", args=[measurement.pk]), {"reason": "Pièce manquante"}
    )
    page = client_for(cast.cti_a_staff).get(url)
    assert "Pièce manquante" in page.content.decode()
    client_for(cast.cti_a_staff).post(url, {f"value-{kpi.pk}": "95"})
    client_for(cast.cti_a_manager).post(
        reverse("results:measurement_submit", args=[measurement.pk])
    )
    client_for(cast.officer).post(reverse("results:measurement_validate", args=[measurement.pk]))

    measurement.refresh_from_db()
    assert measurement.status == MeasurementStatus.VALIDATED and measurement.value == Decimal(95)
    card = client_for(cast.cti_a_manager).get(
        reverse("results:contract_scorecard", args=[agreement.pk]), {"year": 2024}
    )
    [row] = [r for r, _chart in card.context["rows"] if r.indicator == kpi]
    assert (row.actual.value, row.achievement, row.status) == (
        Decimal(95),
        Decimal("0.95"),
        "on_track",
    )


def test_the_submitter_sees_no_validate_button_and_cannot_validate(cast, client_for):
    from pilotage.core.tests.factories import MembershipFactory

    agreement, kpi, _rate, period = setup_contract(cast)
    MembershipFactory(user=cast.cti_a_manager, organisation=cast.ministry, role="ministry_officer")
    client_for(cast.cti_a_staff).post(sheet_url(agreement, period), {f"value-{kpi.pk}": "5"})
    measurement = Measurement.objects.get()
    client = client_for(cast.cti_a_manager)
    client.post(reverse("results:measurement_submit", args=[measurement.pk]))
    response = client.post(reverse("results:measurement_validate", args=[measurement.pk]))
    assert response.status_code == 403
    measurement.refresh_from_db()
    assert measurement.status == MeasurementStatus.SUBMITTED


def test_an_auditor_reads_the_sheet_but_cannot_write_it(cast, client_for):
    agreement, kpi, _rate, period = setup_contract(cast)
    client = client_for(cast.auditor)
    assert client.get(sheet_url(agreement, period)).status_code == 200
    assert client.post(sheet_url(agreement, period), {f"value-{kpi.pk}": "5"}).status_code == 403
    assert not Measurement.objects.exists()


def test_another_cti_cannot_open_the_sheet(cast, client_for):
    agreement, _kpi, _rate, period = setup_contract(cast)
    assert client_for(cast.cti_b_manager).get(sheet_url(agreement, period)).status_code == 404


def test_staff_attach_evidence_to_a_draft_and_it_is_kept_with_its_sha256(cast, client_for):
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    agreement, kpi, _rate, period = setup_contract(cast)
    client = client_for(cast.cti_a_staff)
    client.post(sheet_url(agreement, period), {f"value-{kpi.pk}": "5"})
    measurement = Measurement.objects.get()
    content = b"%PDF-1.4 liste des ICE"
    client.post(
        reverse("results:evidence_add", args=[measurement.pk]),
        {"file": SimpleUploadedFile("liste.pdf", content)},
    )
    proof = measurement.evidence.get()
    assert proof.sha256 == hashlib.sha256(content).hexdigest()
    assert "liste.pdf" in client.get(sheet_url(agreement, period)).content.decode()
    download = client_for(cast.officer).get(proof.get_absolute_url())
    assert b"".join(download.streaming_content) == content
    assert client_for(cast.cti_b_staff).get(proof.get_absolute_url()).status_code == 404


def test_no_evidence_is_added_once_the_value_is_submitted(cast, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    agreement, kpi, _rate, period = setup_contract(cast)
    client_for(cast.cti_a_staff).post(sheet_url(agreement, period), {f"value-{kpi.pk}": "5"})
    measurement = Measurement.objects.get()
    client_for(cast.cti_a_manager).post(
        reverse("results:measurement_submit", args=[measurement.pk])
    )
    client_for(cast.cti_a_staff).post(
        reverse("results:evidence_add", args=[measurement.pk]),
        {"file": SimpleUploadedFile("late.pdf", b"%PDF-1.7")},
    )
    assert not measurement.evidence.exists()


def test_the_scorecard_carries_a_trend_chart_spec_per_indicator(cast, client_for):
    import json

    agreement, kpi, _rate, period = setup_contract(cast)
    Measurement.objects.create(
        indicator=kpi, period=period, organisation=cast.cti_a, value=Decimal(90), status="validated"
    )
    page = client_for(cast.cti_a_staff).get(
        reverse("results:contract_scorecard", args=[agreement.pk]), {"year": 2024}
    )
    specs = [json.loads(chart) for _row, chart in page.context["rows"]]
    [ent] = [s for s in specs if s["data"]["values"]]
    assert ent["data"]["values"] == [{"year": "2024", "value": 90.0}]
    assert ent["layer"][1]["encoding"]["y"]["datum"] == 100.0  # the target rule
    assert "vendor/vega-embed/vega-embed.min.js" in page.content.decode()


def test_the_scorecard_charts_read_right_to_left_in_arabic(cast, client_for):
    import html
    import json
    import re

    agreement, *_ = setup_contract(cast)
    url = reverse("results:contract_scorecard", args=[agreement.pk])
    specs = {}
    for language in ("fr", "ar"):
        type(cast.officer).objects.filter(pk=cast.officer.pk).update(preferred_language=language)
        page = client_for(cast.officer).get(url).content.decode()
        spec = json.loads(html.unescape(re.search(r'data-vega-spec="([^"]+)"', page)[1]))
        encoding = spec["layer"][0]["encoding"]
        specs[language] = (encoding["x"]["scale"]["reverse"], encoding["y"]["axis"]["orient"])
    assert specs == {"fr": (False, "left"), "ar": (True, "right")}
