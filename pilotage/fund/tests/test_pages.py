"""The fund's pages and API as their users meet them: overview, drill-down, journal, forms,
reversal, import; a CTI sees its own lines and the plan's totals only."""

import datetime
import io
from decimal import Decimal

from django.db import connection
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from pilotage.fund.models import Commitment, Entry, EntryKind
from pilotage.fund.sheets import COLUMNS
from pilotage.fund.tests.factories import allocate, commit, facet_project, ledger_axis, pay
from pilotage.programmes.tests.factories import AxisFactory

AS_OF = "2024-06-30"


def overview(client, programme, **params):
    return client.get(
        reverse("fund:overview"), {"programme": programme.pk, "as_of": AS_OF, **params}
    )


def test_the_overview_shows_every_level_and_links_each_figure_to_its_entries(cast, client_for):
    axis = ledger_axis("1000000")
    line = allocate(cast.cti_a, "600000", axis=axis)
    pay(commit(line, "200000"), "50000")
    page = overview(client_for(cast.officer), axis.programme, years=1)
    assert page.status_code == 200
    html = page.content.decode()
    for level in ("programme", "axis", "cti", "year"):
        assert f'data-level="{level}"' in html
    assert "600\u00a0000,00" in html and "200\u00a0000,00" in html and "50\u00a0000,00" in html
    drill = page.context["rows"][-1][1]["committed"]  # the year line's commitments
    journal = client_for(cast.officer).get(drill)
    assert [row[0] for row in journal.context["rows"]] == list(
        Entry.objects.filter(kind=EntryKind.COMMITMENT)
    )


def test_the_year_lines_show_on_request_only(cast, client_for):
    axis = ledger_axis()
    allocate(cast.cti_a, "1000", axis=axis)
    client = client_for(cast.officer)
    assert 'data-level="year"' not in overview(client, axis.programme).content.decode()
    assert 'data-level="year"' in overview(client, axis.programme, years=1).content.decode()


def test_the_overview_projects_the_burn_rate_to_the_plans_end(cast, client_for):
    axis = ledger_axis("1000000")
    line = allocate(cast.cti_a, "900000", axis=axis)
    # 2022-01 → 2024-06 is 30 months; 60 000 paid so far → 96 000 over the plan's 48 months.
    pay(commit(line, "100000"), "60000")
    page = overview(client_for(cast.officer), axis.programme)
    root = page.context["tree"]
    assert root.projection.projected == Decimal("96000")
    axis_node = root.children[0]
    assert axis_node.projection.share == Decimal("0.096")
    assert "10\u00a0%" in page.content.decode()  # 9,6 % rounded, in the sentence


def test_the_overview_equals_a_plain_sql_sum_of_the_journal(cast, client_for):
    axis = ledger_axis("1000000")
    a, b = allocate(cast.cti_a, "400000", axis=axis), allocate(cast.cti_b, "300000", axis=axis)
    pay(commit(a, "150000"), "20000")
    pay(commit(b, "90000"), "90000")
    root = overview(client_for(cast.officer), axis.programme).context["tree"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kind, SUM(amount) FROM fund_entry WHERE entry_date <= %s GROUP BY kind",
            [AS_OF],
        )
        sums = dict(cursor.fetchall())
    assert root.figures.allocated == sums["allocation"]
    assert root.figures.committed == sums["commitment"]
    assert root.figures.disbursed == sums["disbursement"]


def test_a_cti_sees_the_plan_total_and_only_its_own_lines(cast, client_for):
    axis = ledger_axis("1000000")
    allocate(cast.cti_a, "400000", axis=axis)
    allocate(cast.cti_b, "300000", axis=axis)
    page = overview(client_for(cast.cti_b_staff), axis.programme)
    root = page.context["tree"]
    assert root.figures.allocated == Decimal("700000")  # the plan's total counts everyone
    assert root.partial
    labels = [node.label for node in root.walk() if node.level == "cti"]
    assert labels == [cast.cti_b.acronym]
    assert cast.cti_a.acronym not in page.content.decode()


def test_the_overview_exports_to_xlsx(cast, client_for):
    axis = ledger_axis()
    allocate(cast.cti_a, "400000", axis=axis)
    response = overview(client_for(cast.officer), axis.programme, export="xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][2] == 400000  # the plan's allocated total


def test_the_journal_filters_totals_and_exports(cast, client_for):
    line = allocate(cast.cti_a, "500000")
    commit(line, "100000")
    commit(line, "50000")
    client = client_for(cast.auditor)
    page = client.get(reverse("fund:journal"), {"kind": "commitment"})
    assert page.context["page"].paginator.count == 2
    assert page.context["totals"][7] == Decimal("150000")
    export = client.get(reverse("fund:journal"), {"kind": "commitment", "export": "csv"})
    lines = b"".join(export.streaming_content).decode().splitlines()
    assert len(lines) == 3 and all(
        "Commitment" in line or "Engagement" in line for line in lines[1:]
    )


def test_an_officer_records_a_commitment_and_a_bad_amount_saves_nothing(cast, client_for):
    line = allocate(cast.cti_a, "100000")
    client = client_for(cast.officer)
    data = {"allocation": line.pk, "amount": "150 000,00", "reference": "ENG-9",
            "committed_on": "2024-03-01", "project": facet_project(cast.cti_a).pk}  # fmt: skip
    refused = client.post(reverse("fund:commitment_create"), data)
    assert refused.status_code == 422
    assert "50\u00a0000,00" in refused.content.decode()
    assert not Commitment.objects.exists()
    accepted = client.post(reverse("fund:commitment_create"), {**data, "amount": "80 000,50"})
    commitment = Commitment.objects.get()
    assert accepted.url == commitment.get_absolute_url()
    assert commitment.amount == Decimal("80000.50")


def test_a_cti_manager_cannot_open_the_entry_forms(cast, client_for):
    client = client_for(cast.cti_a_manager)
    for name in ("fund:allocation_create", "fund:commitment_create", "fund:reallocation_create"):
        assert client.get(reverse(name)).status_code == 403


def test_a_payment_and_its_reversal_through_the_pages(cast, client_for):
    commitment = commit(allocate(cast.cti_a))
    client = client_for(cast.officer)
    client.post(
        reverse("fund:disbursement_create", args=[commitment.pk]),
        {"amount": "1 000", "paid_on": "2024-04-01", "payment_reference": "OP-1"},
    )
    payment = Entry.objects.get(kind=EntryKind.DISBURSEMENT)
    no_reason = client.post(reverse("fund:entry_reverse", args=[payment.pk]), {"reason": ""})
    assert no_reason.status_code == 422
    client.post(reverse("fund:entry_reverse", args=[payment.pk]), {"reason": "Virement rejeté"})
    commitment.refresh_from_db()
    assert commitment.disbursed == 0
    detail = client.get(payment.get_absolute_url()).content.decode()
    assert "Virement rejeté" in detail and 'id="reversed-by"' in detail
    only = client.get(reverse("fund:journal"), {"reversals": "only"}).context["rows"]
    assert [row[0].reverses for row in only] == [payment]
    originals = client.get(reverse("fund:journal"), {"reversals": "exclude"}).context["rows"]
    assert all(row[0].reverses is None for row in originals) and len(originals) == 3


def test_the_api_scopes_the_ledger_and_refuses_writes_to_ctis(cast, client_for):
    mine, theirs = allocate(cast.cti_a), allocate(cast.cti_b, axis=ledger_axis())
    client = client_for(cast.cti_a_staff)
    listed = client.get("/api/v1/fund/allocations").json()["items"]
    assert [row["id"] for row in listed] == [mine.pk]
    assert client.get(f"/api/v1/fund/allocations/{theirs.pk}").status_code == 404
    body = {"allocation": mine.pk, "amount": "10", "reference": "X", "committed_on": "2024-03-02",
            "project": facet_project(cast.cti_a).pk}  # fmt: skip
    assert (
        client.post("/api/v1/fund/commitments", body, content_type="application/json").status_code
        == 403
    )


def test_the_api_records_and_refuses_over_the_ceiling_with_the_reason(cast, client_for):
    line = allocate(cast.cti_a, "1000")
    client = client_for(cast.officer)
    body = {"allocation": line.pk, "amount": "1500", "reference": "ENG-API",
            "committed_on": "2024-03-02", "project": facet_project(cast.cti_a).pk}  # fmt: skip
    refused = client.post("/api/v1/fund/commitments", body, content_type="application/json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "over_ceiling"
    assert "500,00" in refused.json()["message"]
    body["amount"] = "900"
    assert (
        client.post("/api/v1/fund/commitments", body, content_type="application/json").status_code
        == 201
    )
    tree = client.get(f"/api/v1/fund/programmes/{line.programme_id}/overview").json()
    assert Decimal(tree["figures"]["committed"]) == Decimal("900")


def _csv(text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("entries.csv", ("\ufeff" + text).encode(), content_type="text/csv")


def test_the_import_posts_all_rows_or_none_and_twice_adds_nothing(cast, client_for):
    axis = ledger_axis("1000000")
    AxisFactory(programme=axis.programme, number=2, envelope=Decimal("10"))
    code, cti = axis.programme.code, cast.cti_a.acronym
    lab = facet_project(cast.cti_a)
    client = client_for(cast.officer)
    template = client.get(reverse("fund:import"), {"template": 1})
    header = next(load_workbook(io.BytesIO(template.content)).active.iter_rows(values_only=True))

    def line(**cells):  # in the template's column order
        return ";".join(str(cells.get(column.key, "")) for column in COLUMNS) + "\n"

    good = ";".join(header) + "\n" + (
        line(kind="allocation", date="15/01/2024", reference="AL-1", amount="500 000,00",
             plan=code, axis=1, cti=cti, year=2024)
        + line(kind="engagement", date="01/02/2024", reference="ENG-1", amount="120 000,00",
               plan=code, axis=1, cti=cti, year=2024, project=lab.code)
        + line(kind="décaissement", date="45352", reference="OP-1", amount="20 000",
               commitment="ENG-1")
    )  # fmt: skip
    bad = good + line(kind="allocation", date="15/01/2024", reference="AL-2", amount="50",
                      plan=code, axis=2, cti=cti, year=2024)  # fmt: skip
    refused = client.post(reverse("fund:import"), {"upload": _csv(bad)})
    assert refused.status_code == 422
    errors = refused.context["report"].errors
    assert len(errors) == 1 and errors[0].startswith("Ligne 5")  # in French, the default
    assert not Entry.objects.exists()
    client.post(reverse("fund:import"), {"upload": _csv(good)})
    assert Entry.objects.count() == 3
    payment = Entry.objects.get(reference="OP-1")
    assert payment.entry_date == datetime.date(2024, 3, 1)  # the Excel serial date
    again = client.post(reverse("fund:import"), {"upload": _csv(good)})
    assert again.status_code == 302 and Entry.objects.count() == 3


def _import(client, name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("fund:import"), {"upload": SimpleUploadedFile(name, content)})


def test_a_file_that_is_not_a_spreadsheet_is_refused(cast, client_for):
    refused = _import(client_for(cast.officer), "entries.pdf", b"%PDF-1.4")
    assert refused.status_code == 422
    assert refused.context["form"].errors["upload"]
    assert not Entry.objects.exists()


def test_each_bad_row_is_named_by_row_and_column_and_nothing_is_posted(cast, client_for):
    axis = ledger_axis()
    code, cti = axis.programme.code, cast.cti_a.acronym
    content = (
        "kind,date,reference,amount,plan,axis,cti,year\n"
        f"allocation,15/01/2024,AL-1,100,{code},1,{cti},2024\n"
        f"gift,15/01/2024,AL-2,100,{code},1,{cti},2024\n"
        f"allocation,31/02/2024,AL-3,100,{code},1,{cti},2024\n"
        f"allocation,15/01/2024,AL-4,cent,{code},1,{cti},2024\n"
        f"allocation,15/01/2024,AL-5,100,{code},9,{cti},2024\n"
    ).encode()
    errors = _import(client_for(cast.officer), "entries.csv", content).context["report"].errors
    assert [e.split(",")[0] for e in errors] == ["Ligne 3", "Ligne 4", "Ligne 5", "Ligne 6"]
    assert "gift" in errors[0] and "31/02/2024" in errors[1] and "cent" in errors[2]
    assert "9" in errors[3]
    assert not Entry.objects.exists()


def test_a_reference_reused_for_another_amount_is_refused(cast, client_for):
    axis = ledger_axis()
    allocate(cast.cti_a, "100", axis=axis)
    reference = Entry.objects.get().reference
    content = (
        "kind;date;reference;amount;plan;axis;cti;year\n"
        f"allocation;15/01/2024;{reference};999;{axis.programme.code};1;{cast.cti_a.acronym};2024\n"
    ).encode()
    errors = _import(client_for(cast.officer), "entries.csv", content).context["report"].errors
    with translation.override("fr"):
        column = str(next(c.label for c in COLUMNS if c.key == "reference"))
    assert len(errors) == 1 and f"colonne {column}" in errors[0]
    assert Entry.objects.count() == 1


def test_a_cti_cannot_import_entries(cast, client_for):
    response = _import(client_for(cast.cti_a_manager), "entries.csv", b"kind\n")
    assert response.status_code == 403


def _query_count(client, url: str, params: dict) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries.captured_queries)


def test_the_journal_overview_and_lists_run_a_constant_number_of_queries(cast, client_for):
    axis = ledger_axis("1000000")
    client = client_for(cast.officer)
    pages = [
        (reverse("fund:journal"), {}),
        (reverse("fund:commitment_list"), {}),
        (reverse("fund:overview"), {"programme": axis.programme.pk}),
        ("/api/v1/fund/entries", {}),
    ]
    pay(commit(allocate(cast.cti_a, "500000", axis=axis)))
    before = [_query_count(client, url, params) for url, params in pages]
    for cti in (cast.cti_b, cast.cti_a):
        for year in (2023, 2025):
            pay(commit(allocate(cti, "1000", axis=axis, year=year), "500"), "100")
    assert [_query_count(client, url, params) for url, params in pages] == before


def test_a_decision_page_lists_the_reallocations_it_authorised(cast, client_for):
    from pilotage.fund import services
    from pilotage.fund.tests.factories import DAY, reallocation_decision

    axis = ledger_axis()
    source, target = allocate(cast.cti_a, axis=axis), allocate(cast.cti_b, axis=axis)
    decision = reallocation_decision()
    services.reallocation_record(
        actor=cast.officer, source=source, target=target, amount=Decimal("1000"),
        decision=decision, entry_date=DAY, reference="RE-DEC",
    )  # fmt: skip
    page = client_for(cast.officer).get(decision.get_absolute_url()).content.decode()
    assert 'id="fund-entries"' in page and "RE-DEC" in page
    # A CTI on neither side sees the decision, not the money it moved.
    outsider = client_for(cast.cid_manager).get(decision.get_absolute_url()).content.decode()
    assert "RE-DEC" not in outsider


def test_an_allocation_cites_the_decision_that_approved_it_and_the_decision_lists_it(
    cast, client_for
):
    from pilotage.fund.tests.factories import reallocation_decision
    from pilotage.governance.models import DecisionKind

    axis = ledger_axis("1000000")
    approving = reallocation_decision("FACET-2024-02")
    type(approving).objects.filter(pk=approving.pk).update(kind=DecisionKind.ALLOCATION)
    client = client_for(cast.officer)
    fields = {"programme": axis.programme.pk, "axis": axis.pk, "cti": cast.cti_a.pk, "year": 2024,
              "amount": "50 000", "entry_date": "01/03/2024", "reference": "AL-DEC"}  # fmt: skip

    saved = client.post(reverse("fund:allocation_create"), {**fields, "decision": approving.pk})

    assert saved.status_code == 302
    assert Entry.objects.get(reference="AL-DEC").decision == approving
    page = client.get(approving.get_absolute_url()).content.decode()
    assert 'id="fund-entries"' in page and "AL-DEC" in page

    early = client.post(
        reverse("fund:allocation_create"),
        {**fields, "reference": "AL-EARLY", "entry_date": "01/01/2024", "decision": approving.pk},
    )
    assert early.status_code == 422 and not Entry.objects.filter(reference="AL-EARLY").exists()
    wrong = reallocation_decision("FACET-2024-03")  # authorises a reallocation, not this
    refused = client.post(
        "/api/v1/fund/allocations",
        {**fields, "amount": "10", "entry_date": "2024-03-01", "reference": "AL-WRONG",
         "decision": wrong.pk},
        content_type="application/json",
    )  # fmt: skip
    assert refused.status_code == 422 and "decision" in refused.json()["errors"]


def test_the_commitment_form_finds_an_allocation_by_what_is_typed(cast, client_for):
    axis = ledger_axis("10000000")
    for year in (2023, 2024):
        allocate(cast.cti_a, "1000", axis=axis, year=year)
        allocate(cast.cti_b, "1000", axis=axis, year=year)
    client = client_for(cast.officer)
    form = client.get(reverse("fund:commitment_create")).content.decode()
    assert 'id="id_allocation-search"' in form and 'hx-get="/fund/allocations/options/"' in form

    options = client.get(reverse("fund:allocation_options"), {"q": "ctpc 2024"}).content.decode()
    assert options.count('<option value="') == 2  # the empty choice and CTPC's 2024 line
    assert "CTPC" in options and "2024" in options and "CETIEV" not in options
    # A CTI sees only its own lines, whatever it types.
    theirs = client_for(cast.cti_b_manager).get(reverse("fund:allocation_options"), {"q": "ctpc"})
    assert "CTPC" not in theirs.content.decode()
