"""An edition's files, made from its stored figures: the PDF (WeasyPrint, French or Arabic right to
left, charts drawn by vl-convert) and the workbook (one sheet per section, numbers as numbers with
their formats, never text)."""

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from pilotage.core.documents import render_pdf
from pilotage.core.exports import append_row, workbook_bytes
from pilotage.reports.charts import edition_charts, to_svg
from pilotage.reports.presentation import PDF_ROW_LIMIT, PresentedSection, present
from pilotage.reports.selectors import COUNT, DATE, MONEY, OPEN_DATA_SECTIONS, RATE, YEAR

NUMBER_FORMATS = {MONEY: "#,##0.00", RATE: "0.0", COUNT: "#,##0", YEAR: "0"}


def heading(edition: Any, language: str) -> dict[str, str]:
    """What the first page says the document is, in `language`."""
    with translation.override(language):
        scope = edition.cti.acronym if edition.cti_id else edition.programme.title
        return {
            "report": str(edition.get_kind_display()),
            "scope": scope,
            "as_of": _("Figures as of %(date)s") % {"date": edition.as_of.strftime("%d/%m/%Y")},
        }


def edition_pdf(edition: Any, figures: dict[str, Any], language: str) -> bytes:
    sections = present(figures, language, PDF_ROW_LIMIT, leave_out=OPEN_DATA_SECTIONS)
    charts = [(chart, to_svg(chart.spec)) for chart in edition_charts(figures, language)]
    context = {
        "heading": heading(edition, language),
        "sections": sections,
        "charts": charts,
        "edition": edition,
    }
    return render_pdf("reports/edition_pdf.html", context, language, "pilotage/report.css")


def edition_xlsx(edition: Any, figures: dict[str, Any], language: str) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    head = heading(edition, language)
    for section in present(figures, language):
        sheet = workbook.create_sheet(_sheet_title(section, len(workbook.sheetnames)))
        sheet.sheet_view.rightToLeft = language == "ar"
        append_row(sheet, [f"{head['report']} — {head['scope']}"], bold=True)
        append_row(sheet, [head["as_of"]])
        append_row(sheet, [section.title], bold=True)
        for tab in section.tables:
            append_row(sheet, [])
            append_row(sheet, [tab.title], bold=True)
            append_row(sheet, tab.headers, bold=True)
            formats = [NUMBER_FORMATS.get(kind) for kind in tab.kinds]
            for row in tab.rows:
                values = [c.value if c.numeric or c.kind in (YEAR, DATE) else c.text for c in row]
                append_row(sheet, values, number_formats=formats)
        sheet.column_dimensions["A"].width = 40
        for letter in "BCDEFGH":
            sheet.column_dimensions[letter].width = 18
        sheet["A1"].font = Font(bold=True, size=13)
    return workbook_bytes(workbook)


def _sheet_title(section: PresentedSection, index: int) -> str:
    # Excel refuses sheet names over 31 characters and some punctuation.
    cleaned = "".join(ch for ch in section.title if ch not in "[]:*?/\\")
    return f"{index + 1}. {cleaned}"[:31]
