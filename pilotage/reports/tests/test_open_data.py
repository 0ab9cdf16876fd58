"""Open data: only published editions, as CSV and JSON with a Frictionless Data Package that
validates; files and tables answer 404 to whoever may not read the edition."""

import datetime
import json

import frictionless
import pytest
from django.urls import reverse

from pilotage.reports import services
from pilotage.reports.models import ReportEdition, ReportKind
from pilotage.reports.tests.test_editions import AS_OF, built, plan  # noqa: F401 (fixture)

ROLES = ["admin", "officer", "committee", "cti_a_manager", "cti_a_staff", "cti_b_manager",
         "cti_b_staff", "federation_viewer", "cid_manager", "partner_viewer", "auditor"]  # fmt: skip


@pytest.fixture
def editions(cast, plan):  # noqa: F811
    published = built(cast, plan)
    services.edition_publish(actor=cast.officer, edition=published)
    draft = built(cast, plan)
    return published, draft


def test_the_open_data_page_lists_published_editions_only(client, editions):
    published, draft = editions
    page = client.get(reverse("reports:open_data")).content.decode()
    assert f'id="edition-{published.pk}"' in page
    assert f'id="edition-{draft.pk}"' not in page


def test_the_datapackage_validates_and_serves_only_what_is_public(client, editions, tmp_path):
    published, _draft = editions
    package = client.get(reverse("reports:open_data_package", args=[published.pk])).json()
    (tmp_path / "datapackage.json").write_text(json.dumps(package))
    for resource in package["resources"]:
        url = reverse("reports:open_data_table", args=[published.pk, resource["name"], "csv"])
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        (tmp_path / resource["path"]).write_bytes(response.content)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert package["licenses"][0]["name"] == "ODC-BY-1.0"
    assert published.figures_sha256 in package["description"]

    url = reverse("reports:open_data_table", args=[published.pk, "kpi-values", "json"])
    values = client.get(url).json()
    assert values == [{"cti": "CTPC", "indicator": "ENT", "year": 2024, "kind": "count",
                       "target": 100, "actual": 80, "achievement": 80,
                       "status": "at_risk"}]  # fmt: skip


def test_a_kpi_not_marked_public_stays_out_of_the_open_data(cast, plan, client):  # noqa: F811
    plan.indicator.is_public = False
    plan.indicator.save()
    edition = built(cast, plan)
    services.edition_publish(actor=cast.officer, edition=edition)
    url = reverse("reports:open_data_table", args=[edition.pk, "kpi-values", "csv"])
    assert client.get(url).content.decode().strip().splitlines() == [
        "cti,indicator,year,kind,target,actual,achievement,status"
    ]


def test_nothing_unpublished_is_open_data(client, editions):
    _published, draft = editions
    assert client.get(reverse("reports:open_data_package", args=[draft.pk])).status_code == 404
    table = reverse("reports:open_data_table", args=[draft.pk, "execution-by-axis", "csv"])
    assert client.get(table).status_code == 404
    unknown = reverse("reports:open_data_table", args=[_published.pk, "execution-by-axis", "xml"])
    assert client.get(unknown).status_code == 404


def test_an_editions_files_are_read_by_its_readers_only(cast, client, client_for, editions):
    published, draft = editions
    path = ("pdf", "fr")
    public = reverse("reports:edition_file", args=[published.pk, *path])
    hidden = reverse("reports:edition_file", args=[draft.pk, *path])
    response = client.get(public)
    assert response.status_code == 200 and response["X-Content-SHA256"] == (
        published.files.get(format="pdf", language="fr").sha256
    )
    assert client.get(hidden).status_code == 404  # anonymous
    readers = {"admin", "officer", "committee", "auditor"}  # a plan's draft bilan
    for role in ROLES:
        response = client_for(getattr(cast, role)).get(hidden)
        assert response.status_code == (200 if role in readers else 404), role
        client.logout()


def test_a_cti_reads_the_files_of_its_own_report_only(cast, plan, client_for):  # noqa: F811
    report = services.edition_request(actor=cast.officer, kind=ReportKind.CTI_REPORT,
                                      programme=plan.programme, as_of=AS_OF, cti=cast.cti_a)  # fmt: skip
    services.edition_build(edition_id=report.pk, notify=False)
    url = reverse("reports:edition_file", args=[report.pk, "xlsx", "ar"])
    assert client_for(cast.cti_a_manager).get(url).status_code == 200
    assert client_for(cast.cti_b_manager).get(url).status_code == 404


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_edition_page_shows_its_figures_charts_and_hashes(cast, client_for, editions,
                                                              language):  # fmt: skip
    published, _draft = editions
    client = client_for(cast.officer)
    client.post(reverse("set_language"), {"language": language})
    page = client.get(published.get_absolute_url()).content.decode()
    assert published.figures_sha256 in page
    assert 'data-table="money-total"' in page and "data-vega-spec" in page
    assert 'id="file-pdf-ar"' in page
    assert ("Chiffres arrêtés au" if language == "fr" else "الأرقام إلى غاية") in page


def test_the_api_lists_and_requests_editions_for_the_ministry_only(cast, api_as, plan):  # noqa: F811
    body = {"kind": "plan_bilan", "programme": plan.programme.pk, "as_of": AS_OF.isoformat()}
    created = api_as(cast.officer)("post", "/api/v1/report-editions", body)
    assert created.status_code == 201, created.content
    assert created.json()["status"] in ("pending", "ready")
    refused = api_as(cast.cti_a_manager)("post", "/api/v1/report-editions", body)
    assert refused.status_code == 403
    future = api_as(cast.officer)("post", "/api/v1/report-editions", body | {"as_of": "2999-01-01"})
    assert future.status_code == 422 and "as_of" in future.json()["errors"]
    assert ReportEdition.objects.count() == 1


def test_the_public_registers_go_out_as_they_stood_at_the_date(cast, plan, client):  # noqa: F811
    from freezegun import freeze_time

    from pilotage.certification.tests.factories import CertificateFactory, request_at
    from pilotage.prestations.tests.factories import OfferingFactory
    from pilotage.reports.tests.test_editions import AFTER, BEFORE

    with freeze_time(BEFORE):
        valid = CertificateFactory(request=request_at("decided", delivery__cti=cast.cti_a))
        OfferingFactory(cti=cast.cti_a, code="ESS-01")
        OfferingFactory(cti=cast.cti_a, code="HIDDEN", is_public=False)
    with freeze_time(AFTER):  # withdrawn in 2025: still valid at the end of 2024
        valid.status, valid.status_changed_on = "withdrawn", datetime.date(2025, 2, 10)
        valid.save()
    edition = built(cast, plan)
    services.edition_publish(actor=cast.officer, edition=edition)

    def table(name):
        url = reverse("reports:open_data_table", args=[edition.pk, name, "json"])
        return client.get(url).json()

    assert [c["number"] for c in table("certificates-valid")] == [valid.number]
    assert table("certificates-valid")[0]["valid_until"] == "2099-03-04"
    assert [o["code"] for o in table("catalogue")] == ["ESS-01"]
    # The long registers are open data and workbook rows, not pages of the PDF.
    assert "registers" not in [s.key for s in present_pdf_sections(edition)]


def present_pdf_sections(edition):
    from pilotage.reports.presentation import present
    from pilotage.reports.selectors import OPEN_DATA_SECTIONS

    return present(edition.figures, "fr", leave_out=OPEN_DATA_SECTIONS)
