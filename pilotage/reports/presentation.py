"""How an edition's figures read, in the active language: the titles of its sections and tables,
the headings of its columns and the names behind its codes. The edition's page, its PDF and its
workbook all print through `present`, so they say the same thing in the same words."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from pilotage.core.money import format_mad
from pilotage.core.regions import Region
from pilotage.governance.models import DecisionKind, FollowUpStatus, RecommendationStatus
from pilotage.prestations.models import ServiceCategory
from pilotage.reports.selectors import DATE, FLAG, MONEY, RATE, YEAR
from pilotage.standards.models import Stage

SECTION_TITLES = {
    "money": _("FACET envelope and execution"),
    "kpis": _("Indicators against targets"),
    "services": _("Services to companies"),
    "staff": _("Staff and taux d'encadrement"),
    "records": _("Laboratories, certificates, standards, projects and training"),
    "governance": _("Committee decisions and the evaluation's recommendations"),
    "comparison": _("Comparison with the previous plan"),
    "registers": _("Public registers"),
}
TABLE_TITLES = {
    ("money", "total"): _("The plan as a whole"),
    ("money", "by_axis"): _("By strategic axis"),
    ("money", "by_year"): _("By year"),
    ("money", "by_line"): _("By axis, CTI and year"),
    ("kpis", "bands"): _("Indicators by achievement band"),
    ("kpis", "bands_by_cti"): _("Achievement bands by CTI"),
    ("kpis", "achievement"): _("Achievement of the year"),
    ("kpis", "trend"): _("Validated values by year (trend)"),
    ("services", "total"): _("All services"),
    ("services", "by_cti_year"): _("By CTI and year"),
    ("services", "by_region"): _("By region of the company"),
    ("services", "by_category"): _("By category of service"),
    ("staff", "by_year"): _("The network"),
    ("staff", "by_cti"): _("By CTI"),
    ("records", "counts"): _("Records"),
    ("records", "standards_by_stage"): _("Standards by stage"),
    ("governance", "decisions_by_year"): _("Decisions by year and kind"),
    ("governance", "decision_follow_up"): _("Follow-up of the decisions"),
    ("governance", "register"): _("Decisions of the year"),
    ("governance", "recommendations"): _("Follow-up of the evaluation's recommendations"),
    ("comparison", "plans"): _("The plans side by side"),
    ("registers", "catalogue"): _("Catalogue of CTI services"),
    ("registers", "certificates"): _("Certificates valid at the date"),
    ("registers", "standards"): _("NM standards under way or published"),
}
KPI_STATUS = {
    "on_track": _("on track"),
    "at_risk": _("at risk"),
    "off_track": _("off track"),
    "no_data": _("no data"),
}
COLUMN_LABELS = {
    **KPI_STATUS,  # the columns of the bands by CTI
    "envelope": _("Envelope (MAD)"),
    "allocated": _("Allocated (MAD)"),
    "committed": _("Committed (MAD)"),
    "paid": _("Paid (MAD)"),
    "headroom": _("Headroom (MAD)"),
    "paid_share_of_allocated": _("Paid / allocated (%)"),
    "paid_share_of_envelope": _("Paid / envelope (%)"),
    "time_elapsed": _("Time elapsed (%)"),
    "axis": _("Axis"),
    "cti": _("CTI"),
    "year": _("Year"),
    "status": _("Status"),
    "indicators": _("Indicators"),
    "indicator": _("Indicator"),
    "kind": _("Kind"),
    "target": _("Target"),
    "actual": _("Actual"),
    "achievement": _("Achievement (%)"),
    "public": _("Open data"),
    "deliveries": _("Services delivered"),
    "companies": _("Companies served"),
    "smes": _("of which SMEs"),
    "revenue": _("Revenue (MAD)"),
    "region": _("Region"),
    "category": _("Category"),
    "graduates": _("Engineers and doctorate holders"),
    "technicians": _("Technicians"),
    "administrative": _("Administrative staff"),
    "staff": _("Total staff"),
    "supervision_rate": _("Taux d'encadrement (%)"),
    "record": _("Record"),
    "measure": _("Measure"),
    "value": _("Value"),
    "stage": _("Stage"),
    "standards": _("Standards"),
    "decision_kind": _("Kind of decision"),
    "decisions": _("Decisions"),
    "follow_up": _("Follow-up"),
    "overdue": _("Overdue"),
    "number": _("Number"),
    "decided_on": _("Decided on"),
    "due_on": _("Due"),
    "recommendation_status": _("Status"),
    "recommendations": _("Recommendations"),
    "plan": _("Plan"),
    "years": _("Years"),
    "code": _("Code"),
    "sector": _("Sector"),
    "title": _("Title"),
    "holder": _("Holder"),
    "product": _("Product"),
    "referential": _("Referential"),
    "issued_on": _("Issued on"),
    "valid_until": _("Valid until"),
    "reference": _("Reference"),
    "technical_committee": _("Technical committee"),
    "enquiry_opens_on": _("Public enquiry opens on"),
    "enquiry_closes_on": _("Public enquiry closes on"),
    "published_on": _("Published on"),
}
INDICATOR_KINDS = {"count": _("Count"), "money": _("Money (MAD)"), "percentage": _("Percentage")}
RECORDS = {
    "laboratories": _("Laboratories"),
    "certificates": _("Certificates"),
    "standards": _("NM standards"),
    "projects": _("Projects"),
    "training": _("Training"),
}
MEASURES = {
    "in_service": _("in service"),
    "accredited": _("accredited at the date"),
    "issued": _("issued under the plan"),
    "valid": _("valid at the date"),
    "in_progress": _("in progress"),
    "published": _("published"),
    "started": _("started"),
    "completed": _("completed"),
    "trainees": _("trainees"),
    "trainees_women": _("of whom women"),
}
CHOICES: dict[str, dict[Any, Any]] = {
    "region": dict(Region.choices),
    "category": dict(ServiceCategory.choices),
    "decision_kind": dict(DecisionKind.choices),
    "follow_up": dict(FollowUpStatus.choices),
    "recommendation_status": dict(RecommendationStatus.choices),
    "stage": dict(Stage.choices),
    "status": KPI_STATUS,
    "kind": INDICATOR_KINDS,
    "record": RECORDS,
    "measure": MEASURES,
}


@dataclass(frozen=True)
class Cell:
    value: Any  # the figure as stored (a number for numeric columns)
    text: str  # as printed
    numeric: bool
    kind: str


@dataclass(frozen=True)
class PresentedTable:
    key: str
    title: str
    headers: list[str]
    kinds: list[str]
    rows: list[list[Cell]]
    total_rows: int  # more than `rows` when the document shows the first ones only

    @property
    def cut(self) -> bool:
        return self.total_rows > len(self.rows)


# A national edition's detail (every CTI × indicator, every ledger line) runs to thousands of
# rows: the PDF and the page show the first ones and say so; the workbook holds them all.
PDF_ROW_LIMIT = 60
PAGE_ROW_LIMIT = 100


@dataclass(frozen=True)
class PresentedSection:
    key: str
    title: str
    tables: list[PresentedTable]


def number(value: Any, kind: str) -> Any:
    """A stored figure as a Python number (Decimal for money and rates, int for counts)."""
    if value is None or value == "":
        return None
    if kind in (MONEY, RATE):
        return Decimal(value)
    if kind == FLAG:
        return bool(value)
    if kind == DATE:
        return datetime.date.fromisoformat(value)
    return value


def label(
    column: str, value: Any, names: dict[str, Any], language: str, brief: bool = False
) -> str:
    """The name a code stands for, in `language` (the code itself when nothing names it);
    `brief`: an axis by its number only (in a table of many rows per axis)."""
    if value is None or value == "":
        return "—"
    if column == "axis":
        title = "" if brief else names.get("axis", {}).get(str(value), {}).get(language, "")
        return f"{_('Axis')} {value}" + (f" — {title}" if title else "")
    if column == "indicator":
        name = names.get("indicator", {}).get(str(value), {}).get(language, "")
        return f"{value} — {name}" if name else str(value)
    choices: dict[Any, Any] = CHOICES.get(column, {})
    if value in choices:
        return str(choices[value])
    return str(value)


def text(value: Any, kind: str) -> str:
    if value is None:
        return "—"
    if kind == MONEY:
        return format_mad(Decimal(value)).removesuffix("\u00a0DH")  # the heading says MAD
    if kind == RATE:
        return f"{Decimal(value):,.1f}".replace(",", "\u202f").replace(".", ",")
    if kind == FLAG:
        return str(_("yes")) if value else str(_("no"))
    if kind == YEAR:
        return str(value)
    if kind == DATE:
        return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u202f")
    return str(value)


def present(
    figures: dict[str, Any],
    language: str,
    row_limit: int | None = None,
    leave_out: Iterable[str] = (),
) -> list[PresentedSection]:
    """The figures as they read in `language`: titled sections of titled tables of cells (the
    first `row_limit` rows of each table, given one; without the sections in `leave_out`)."""
    names = figures.get("names", {})
    sections = []
    with translation.override(language):
        for key, tables in figures["sections"].items():
            if key in leave_out:
                continue
            presented = []
            for name, tab in tables.items():
                columns = [c[0] for c in tab["columns"]]
                kinds = [c[1] for c in tab["columns"]]
                # Full axis titles where a row is an axis; elsewhere its number says enough.
                brief = name != "by_axis"
                rows = []
                for row in tab["rows"][:row_limit]:
                    cells = []
                    for column, kind, value in zip(columns, kinds, row, strict=True):
                        numeric = kind in (MONEY, RATE, "count")
                        if numeric or kind in (YEAR, FLAG, DATE):
                            shown = text(value, kind)
                        else:
                            shown = label(column, value, names, language, brief)
                        cells.append(Cell(number(value, kind), shown, numeric, kind))
                    rows.append(cells)
                presented.append(
                    PresentedTable(
                        name,
                        str(TABLE_TITLES.get((key, name), name)),
                        [str(COLUMN_LABELS.get(c, c)) for c in columns],
                        kinds,
                        rows,
                        len(tab["rows"]),
                    )
                )
            sections.append(PresentedSection(key, str(SECTION_TITLES.get(key, key)), presented))
    return sections
