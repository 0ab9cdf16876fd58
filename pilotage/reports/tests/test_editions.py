"""Report editions: figures as of a date, the files that carry them, publication and its freeze."""

import datetime
import io
from decimal import Decimal
from types import SimpleNamespace

import pypdf
import pytest
from django.urls import reverse
from freezegun import freeze_time
from openpyxl import load_workbook

from pilotage.core.errors import ServiceError
from pilotage.fund import services as fund
from pilotage.fund.tests.factories import allocate, commit, ledger_axis, pay
from pilotage.programmes.models import PartyRole
from pilotage.programmes.tests.factories import agreement_with
from pilotage.reports import rendering, selectors, services
from pilotage.reports.models import EditionStatus, ReportEdition, ReportKind
from pilotage.results.models import Indicator, Measurement, Objective, Target
from pilotage.results.tests.factories import ReportingPeriodFactory

AS_OF = datetime.date(2024, 12, 31)
BEFORE = "2024-03-01 10:00:00"
AFTER = "2025-02-10 10:00:00"


@pytest.fixture
def plan(cast):
    """A plan with CTI A's ledger line (500,000 allocated, 200,000 committed, 50,000 paid) and one
    indicator of its contract (target 100, value 80 validated in 2024), all recorded in 2024."""
    with freeze_time(BEFORE):
        axis = ledger_axis("5000000")
        line = allocate(cast.cti_a, "500000", axis=axis, actor=cast.officer)
        commitment = commit(line, "200000", actor=cast.officer)
        payment = pay(commitment, "50000", actor=cast.officer)
        programme = axis.programme
        agreement = agreement_with(cast.cti_a, cast.ministry, role=PartyRole.SIGNATORY,
                                   programme=programme)  # fmt: skip
        objective = Objective.objects.create(programme=programme, agreement=agreement,
                                             code="OS-1", title="Servir", axis=axis)  # fmt: skip
        indicator = Indicator.objects.create(
            objective=objective, code="ENT", name="Entreprises servies", definition="ICE",
            unit="entreprises", kind="count", is_public=True,
        )  # fmt: skip
        Target.objects.create(indicator=indicator, year=2024, value=Decimal(100))
        period = ReportingPeriodFactory(programme=programme, year=2024)
    value = Measurement.objects.create(
        indicator=indicator, period=period, organisation=cast.cti_a, value=Decimal(80),
        status="validated", validated_at=datetime.datetime(2024, 12, 15, tzinfo=datetime.UTC),
    )  # fmt: skip
    return SimpleNamespace(programme=programme, line=line, commitment=commitment,
                           payment=payment, indicator=indicator, period=period,
                           value=value)  # fmt: skip


def figures_of(plan, known_by=None):
    scope = selectors.Scope(ReportKind.PLAN_BILAN, plan.programme, None, AS_OF, known_by)
    return selectors.edition_figures(scope)


def rows(figures, section, table):
    tab = figures["sections"][section][table]
    keys = [c[0] for c in tab["columns"]]
    return [dict(zip(keys, row, strict=True)) for row in tab["rows"]]


def built(cast, plan, as_of=AS_OF, **fields) -> ReportEdition:
    edition = services.edition_request(actor=cast.officer, kind=ReportKind.PLAN_BILAN,
                                       programme=plan.programme, as_of=as_of, **fields)  # fmt: skip
    return services.edition_build(edition_id=edition.pk, notify=False)


def correct_after_the_date(cast, plan) -> None:
    """Everything a later year changes about 2024: a corrected value validated in 2025, a
    payment recorded in 2025 but dated in 2024, and a reversal of the 2024 payment."""
    with freeze_time(AFTER):
        Measurement.objects.create(
            indicator=plan.indicator, period=plan.period, organisation=cast.cti_a,
            value=Decimal(95), revision=2, supersedes=plan.value, status="validated",
            revision_reason="Recomptage", validated_at=datetime.datetime.now(datetime.UTC),
        )  # fmt: skip
        fund.disbursement_record(actor=cast.officer, commitment=plan.commitment,
                                 amount=Decimal(10000), paid_on=datetime.date(2024, 6, 1),
                                 payment_reference="OP-LATE")  # fmt: skip
        fund.entry_reverse(actor=cast.officer, entry=plan.payment, reason="Doublon")


def test_an_edition_counts_what_was_recorded_by_the_end_of_its_day(cast, plan):
    figures = figures_of(plan)
    assert rows(figures, "money", "total")[0] | {} == {
        "envelope": "250000000", "allocated": "500000", "committed": "200000", "paid": "50000",
        "headroom": "300000", "paid_share_of_allocated": "10", "time_elapsed": "75",
    }  # fmt: skip
    [score] = rows(figures, "kpis", "achievement")
    assert (score["cti"], score["year"], score["target"], score["actual"]) == (
        "CTPC",
        2024,
        "100",
        "80",
    )
    assert (score["achievement"], score["status"]) == ("80", "at_risk")


def test_what_was_validated_posted_or_reversed_after_the_date_leaves_the_edition_unchanged(
    cast, plan
):
    before = figures_of(plan)
    correct_after_the_date(cast, plan)
    assert figures_of(plan) == before
    assert services.figures_hash(figures_of(plan)) == services.figures_hash(before)
    # As the platform knows that date now, the corrections dated by then show: the late payment
    # dated June 2024 (the reversal is dated 2025: after the date, even now).
    now = figures_of(plan, known_by=datetime.datetime.now(datetime.UTC))
    assert rows(now, "money", "total")[0]["paid"] == "60000"
    assert rows(now, "kpis", "achievement")[0]["actual"] == "95"


def test_the_pdf_and_the_workbook_carry_the_selectors_figures(cast, plan):
    edition = built(cast, plan)
    assert edition.status == EditionStatus.READY
    files = {(f.format, f.language): f for f in edition.files.all()}
    assert set(files) == {("pdf", "fr"), ("pdf", "ar"), ("xlsx", "fr"), ("xlsx", "ar")}
    for stored in files.values():
        assert stored.size == stored.file.size and len(stored.sha256) == 64

    workbook = load_workbook(io.BytesIO(files[("xlsx", "fr")].file.read()))
    money = workbook.worksheets[0]
    values = [row for row in money.iter_rows(values_only=True) if row and row[0] == 250000000]
    # Numbers are numbers (not text), with their formats.
    assert values == [(250000000, 500000, 200000, 50000, 300000, 10, 75)]
    cells = [c for row in money.iter_rows() for c in row if c.value == 500000]
    assert cells[0].number_format == "#,##0.00"

    text = pdf_text(files[("pdf", "fr")])
    for expected in ("500 000,00", "200 000,00", "50 000,00", "Bilan", "31/12/2024"):
        assert expected.replace(" ", "\u00a0") in text or expected in text


def pdf_text(stored) -> str:
    reader = pypdf.PdfReader(io.BytesIO(stored.file.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_arabic_pdf_is_shaped_and_reads_right_to_left(cast, plan):
    edition = built(cast, plan)
    text = pdf_text(edition.files.get(format="pdf", language="ar"))
    # Extracted in reading order, the letters joined: "المحور" (the axis), never reversed.
    assert "المحور" in text
    assert "روحملا" not in text
    heading = rendering.heading(edition, "ar")
    assert any("\u0600" <= ch <= "\u06ff" for ch in heading["as_of"])


def test_an_as_of_date_before_the_plan_or_to_come_is_refused_in_french(cast, plan, client_for):
    client = client_for(cast.officer)
    url = reverse("reports:edition_create")
    for day, message in (("2021-12-31", "Le plan commence le 01/01/2022"),
                         ("2099-01-01", "à venir")):  # fmt: skip
        body = {"kind": "plan_bilan", "programme": plan.programme.pk, "as_of": day}
        response = client.post(url, body)
        assert response.status_code == 422
        assert message in response.content.decode()
    assert not ReportEdition.objects.exists()


def test_a_cti_report_names_its_cti_and_only_it(cast, plan):
    with pytest.raises(ServiceError):
        services.edition_request(actor=cast.officer, kind=ReportKind.CTI_REPORT,
                                 programme=plan.programme, as_of=AS_OF)  # fmt: skip
    with pytest.raises(ServiceError):
        services.edition_request(actor=cast.officer, kind=ReportKind.PLAN_BILAN,
                                 programme=plan.programme, as_of=AS_OF, cti=cast.cti_a)  # fmt: skip
    report = services.edition_request(actor=cast.officer, kind=ReportKind.CTI_REPORT,
                                      programme=plan.programme, as_of=AS_OF, cti=cast.cti_a)  # fmt: skip
    report = services.edition_build(edition_id=report.pk, notify=False)
    assert set(report.figures["sections"]) == {"money", "kpis", "services", "staff", "records"}
    assert [r["cti"] for r in rows(report.figures, "money", "by_line")] == ["CTPC"]


def test_a_cti_reads_its_own_report_and_not_another_ctis(cast, plan, client_for):
    report = services.edition_request(actor=cast.officer, kind=ReportKind.CTI_REPORT,
                                      programme=plan.programme, as_of=AS_OF, cti=cast.cti_a)  # fmt: skip
    url = reverse("reports:edition_detail", args=[report.pk])
    assert client_for(cast.cti_a_staff).get(url).status_code == 200
    assert client_for(cast.cti_b_manager).get(url).status_code == 404
    assert client_for(cast.cid_manager).get(url).status_code == 404


def test_publishing_freezes_the_edition_and_shows_later_corrections_beside_it(
    cast, plan, client_for
):
    edition = built(cast, plan)
    client = client_for(cast.officer)
    response = client.post(reverse("reports:edition_publish", args=[edition.pk]),
                           {"reason": "Comité du 20/01/2025"})  # fmt: skip
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.published_by == cast.officer and edition.is_published
    published = (edition.figures, edition.figures_sha256,
                 sorted(edition.files.values_list("sha256", flat=True)))  # fmt: skip

    changes = reverse("reports:edition_changes", args=[edition.pk])
    assert 'data-same="true"' in client.get(changes).content.decode()
    correct_after_the_date(cast, plan)
    assert 'data-same="true"' in client.get(changes).content.decode()  # as last checked
    assert client_for(cast.cti_a_manager).post(changes).status_code == 403
    page = client_for(cast.officer).post(changes).content.decode()  # check again
    assert 'data-same="false"' in page and "Modifié depuis la publication" in page
    edition.refresh_from_db()
    assert (edition.figures, edition.figures_sha256,
            sorted(edition.files.values_list("sha256", flat=True))) == published  # fmt: skip
    # Regenerated as of the same date, the figures are the published ones.
    assert services.figures_hash(figures_of(plan)) == edition.figures_sha256

    again = client.post(reverse("reports:edition_publish", args=[edition.pk]), follow=True)
    assert "déjà publiée" in again.content.decode()


def test_a_newer_publication_supersedes_the_previous_one(cast, plan):
    first = built(cast, plan)
    services.edition_publish(actor=cast.officer, edition=first)
    second = built(cast, plan, as_of=datetime.date(2025, 6, 30))
    services.edition_publish(actor=cast.officer, edition=second)
    second.refresh_from_db()
    assert second.supersedes == first


def test_only_the_ministry_publishes(cast, plan, client_for):
    edition = built(cast, plan)
    url = reverse("reports:edition_publish", args=[edition.pk])
    assert client_for(cast.committee).post(url).status_code == 403
    assert client_for(cast.auditor).post(url).status_code == 403
    assert client_for(cast.cti_a_manager).post(url).status_code == 404  # a draft bilan: unseen
    edition.refresh_from_db()
    assert not edition.is_published


def test_a_published_edition_has_no_edit_nor_delete(cast, plan, client_for, api_as):
    edition = built(cast, plan)
    services.edition_publish(actor=cast.officer, edition=edition)
    client = client_for(cast.officer)
    assert client.get(f"/report-editions/{edition.pk}/edit/").status_code == 404
    api = api_as(cast.officer)
    assert api("put", f"/api/v1/report-editions/{edition.pk}", {}).status_code == 405
    assert api("delete", f"/api/v1/report-editions/{edition.pk}").status_code == 405


def test_a_failed_build_says_why_and_keeps_nothing(cast, plan, monkeypatch, client_for):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(rendering, "edition_xlsx", broken)
    edition = built(cast, plan)
    assert edition.status == EditionStatus.FAILED and "rien n'a été gardé" in edition.failure
    assert "le serveur n'a pas pu écrire les fichiers" in edition.failure
    assert not edition.files.exists() and edition.figures is None
    with pytest.raises(ServiceError):
        services.edition_publish(actor=cast.officer, edition=edition)
    page = client_for(cast.officer).get(edition.get_absolute_url()).content.decode()
    assert 'id="edition-failure"' in page


def test_a_build_whose_worker_died_ends_failed_when_its_page_is_polled(cast, plan, client_for):
    edition = services.edition_request(actor=cast.officer, kind=ReportKind.PLAN_BILAN,
                                       programme=plan.programme, as_of=AS_OF)  # fmt: skip
    ReportEdition.objects.filter(pk=edition.pk).update(
        status=EditionStatus.BUILDING, progress=40,
        heartbeat_at=datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC),
    )  # fmt: skip
    response = client_for(cast.officer).get(
        reverse("reports:edition_progress", args=[edition.pk]), headers={"HX-Request": "true"}
    )
    edition.refresh_from_db()
    assert edition.status == EditionStatus.FAILED
    assert response["HX-Refresh"] == "true"


def test_the_build_writes_its_progress_and_mails_who_asked(cast, plan, mailoutbox,
                                                           django_capture_on_commit_callbacks):  # fmt: skip
    seen = []
    original = services._progress_writer

    def spying(edition):
        write = original(edition)

        def progress(stage, done, total):
            write(stage, done, total)
            seen.append(ReportEdition.objects.get(pk=edition.pk).progress)

        return progress

    services._progress_writer = spying
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.edition_request(actor=cast.officer, kind=ReportKind.PLAN_BILAN,
                                     programme=plan.programme, as_of=AS_OF)  # fmt: skip
    finally:
        services._progress_writer = original
    assert seen == sorted(seen) and seen[0] < 50 < seen[-1] < 100
    assert ReportEdition.objects.get().progress == 100
    assert [m.to for m in mailoutbox] == [[cast.officer.email]]
    assert "/report-editions/" in mailoutbox[0].body
