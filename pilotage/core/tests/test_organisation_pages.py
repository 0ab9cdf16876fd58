"""Organisations directory pages: list, filters, sorting, export, detail, create, edit, history."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from pilotage.core.models import Organisation

LIST = reverse("core:organisation_list")


def test_it_requires_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_lists_organisations_with_search_kind_filter_and_sort(cast, client_for):
    client = client_for(cast.cti_b_staff)
    page = client.get(LIST, {"kind": "cti", "sort": "-acronym"})
    assert page.status_code == 200
    assert [obj.acronym for obj, _cells in page.context["rows"]] == ["CTPC", "CETIEV"]
    found = client.get(LIST, {"q": "plasturgie"})
    assert [obj.acronym for obj, _cells in found.context["rows"]] == ["CTPC"]


def test_an_unknown_sort_falls_back_to_the_default(cast, client_for):
    page = client_for(cast.officer).get(LIST, {"sort": "password"})
    assert page.context["sort"] == "acronym"


def test_an_invalid_filter_shows_nothing_and_says_why(cast, client_for):
    page = client_for(cast.officer).get(LIST, {"kind": "bank"})
    assert page.context["rows"] == []
    assert page.context["filterset"].errors["kind"]


def test_the_list_paginates(cast, client_for):
    from pilotage.core.tests.factories import OrganisationFactory

    OrganisationFactory.create_batch(30, kind="partner")
    client = client_for(cast.officer)
    first, last = client.get(LIST), client.get(LIST, {"page": 2})
    assert len(first.context["rows"]) == 25 and len(last.context["rows"]) == 38 - 25


def test_an_htmx_request_gets_only_the_table(cast, client_for):
    response = client_for(cast.officer).get(LIST, {"q": "CTPC"}, headers={"HX-Request": "true"})
    assert b"<html" not in response.content and b"CTPC" in response.content


def test_the_list_runs_a_constant_number_of_queries(
    cast, client_for, django_assert_max_num_queries
):
    from pilotage.core.tests.factories import OrganisationFactory

    client = client_for(cast.officer)
    client.get(LIST)  # warm the session
    with django_assert_max_num_queries(12) as few:
        client.get(LIST)
    OrganisationFactory.create_batch(15, kind="cti")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(LIST)


def test_it_exports_the_filtered_list_to_xlsx(cast, client_for):
    response = client_for(cast.officer).get(LIST, {"kind": "federation", "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][0] == "Sigle"  # French by default
    assert sorted(r[0] for r in rows[1:]) == ["AMICA", "FMP"]


def test_it_exports_csv_for_french_excel_without_formula_injection(cast, client_for):
    Organisation.objects.filter(pk=cast.partner.pk).update(sector='=HYPERLINK("http://x")')
    response = client_for(cast.officer).get(LIST, {"kind": "partner", "export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[1][0] == "CAPGEMINI-MA"
    assert rows[1][3] == '\'=HYPERLINK("http://x")'


def test_xlsx_export_stores_formula_like_text_as_text(cast, client_for):
    Organisation.objects.filter(pk=cast.partner.pk).update(sector="=1+1")
    response = client_for(cast.officer).get(LIST, {"kind": "partner", "export": "xlsx"})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cell = workbook.active.cell(row=2, column=4)
    assert cell.value == "=1+1" and cell.data_type == "s"


def test_the_detail_page_shows_federations_and_members_the_viewer_may_see(cast, client_for):
    page = client_for(cast.cti_a_manager).get(cast.cti_a.get_absolute_url())
    assert page.status_code == 200
    assert b"FMP" in page.content
    assert cast.cti_a_staff.full_name.encode() in page.content
    outsider_view = client_for(cast.cti_b_staff).get(cast.cti_a.get_absolute_url())
    assert cast.cti_a_staff.full_name.encode() not in outsider_view.content


def test_an_unknown_organisation_is_404(cast, client_for):
    assert client_for(cast.officer).get("/organisations/999999/").status_code == 404


def test_an_officer_creates_an_organisation(cast, client_for):
    response = client_for(cast.officer).post(
        reverse("core:organisation_create"),
        {"name": "Centre Technique Test", "acronym": "CTT", "kind": "cti",
         "federations": [cast.federation_a.pk], "region": "06", "is_active": "on",
         "reason": "New CTI"},
    )  # fmt: skip
    created = Organisation.objects.get(acronym="CTT")
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    assert list(created.federations.all()) == [cast.federation_a]
    record = created.history.latest()
    assert record.history_user == cast.officer


@pytest.mark.parametrize("person", ["cti_a_manager", "auditor", "committee"])
def test_others_cannot_create_organisations(cast, client_for, person):
    client = client_for(getattr(cast, person))
    assert client.get(reverse("core:organisation_create")).status_code == 403
    response = client.post(
        reverse("core:organisation_create"), {"name": "X", "acronym": "X", "kind": "cti"}
    )
    assert response.status_code == 403
    assert not Organisation.objects.filter(acronym="X").exists()


def test_bad_input_gets_field_messages_in_french_and_saves_nothing(cast, client_for):
    count = Organisation.objects.count()
    response = client_for(cast.officer).post(
        reverse("core:organisation_create"),
        {"name": "", "acronym": "CTPC", "kind": "bank", "email": "not-an-email",
         "federations": [cast.federation_a.pk]},
    )  # fmt: skip
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert errors["name"] == ["Ce champ est obligatoire."]
    assert "existe déjà" in errors["acronym"][0]
    assert "email" in errors and "kind" in errors
    assert Organisation.objects.count() == count


def test_federations_are_only_for_ctis(cast, client_for):
    response = client_for(cast.officer).post(
        reverse("core:organisation_create"),
        {"name": "Fédération X", "acronym": "FX", "kind": "federation",
         "federations": [cast.federation_a.pk]},
    )  # fmt: skip
    assert response.status_code == 422
    assert response.context["form"].errors["federations"]


def test_editing_records_who_what_before_after_and_why(cast, client_for):
    client = client_for(cast.officer)
    url = reverse("core:organisation_edit", args=[cast.cti_a.pk])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, "")}
    data.update(city="Mohammedia", federations=[cast.federation_a.pk, cast.federation_b.pk],
                is_active="on", reason="Déménagement")  # fmt: skip
    assert client.post(url, data).status_code == 302

    history = client.get(reverse("core:organisation_history", args=[cast.cti_a.pk]))
    latest = history.context["entries"][0]
    assert latest.record.history_user == cast.officer
    assert latest.record.history_change_reason == "Déménagement"
    changes = {c.field: (c.old, c.new) for c in latest.changes}
    assert changes["city"] == ("Casablanca", "Mohammedia")
    assert b"Mohammedia" in history.content and b"D\xc3\xa9m\xc3\xa9nagement" in history.content


def test_the_history_page_follows_the_object_access_rule(cast, client_for):
    url = reverse("core:organisation_history", args=[cast.cti_a.pk])
    assert client_for(cast.auditor).get(url).status_code == 200


def test_a_control_character_does_not_break_the_xlsx_export(cast, client_for):
    Organisation.objects.filter(pk=cast.partner.pk).update(name="Bad\u0007name")
    response = client_for(cast.officer).get(LIST, {"kind": "partner", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.cell(row=2, column=2).value == "Badname"


def test_two_organisations_without_an_arabic_or_english_name_do_not_collide(cast, client_for):
    """The name is unique in each language; a translation left empty is no name at all."""
    client = client_for(cast.officer)
    for acronym in ("CTX", "CTY"):
        response = client.post(
            reverse("core:organisation_create"),
            {"name_fr": f"Centre {acronym}", "name_ar": "", "name_en": "", "acronym": acronym,
             "kind": "cti", "region": "06", "is_active": "on", "reason": "New CTI"},
        )  # fmt: skip
        assert response.status_code == 302, response.content.decode()[:2000]
    assert Organisation.objects.filter(acronym__in=["CTX", "CTY"], name_ar=None).count() == 2
