"""The cells of the plan's results matrix, written in a plain loop.

A one-axis matrix of a national network has over a thousand cells; written with template tags
and filters per cell, the page took five times the SQL behind it (`make bench`). These are the
same cells the template wrote (figures by the indicator's kind, target, achievement, the status's
colour), from values that are numbers or escaped. Every CTI's row is written once and kept with
the figures (`views._written_matrix`); each request picks the rows its user may see."""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from pilotage.results import semantics
from pilotage.results.selectors import MatrixCell, MatrixFigures
from pilotage.results.semantics import Status, format_value

STATUS_CLASSES = {
    Status.ON_TRACK: "table-success",
    Status.AT_RISK: "table-warning",
    Status.OFF_TRACK: "table-danger",
}


def matrix_cells(cells: dict[str, MatrixCell], codes: list[tuple[str, str, str]]) -> SafeString:
    """One CTI's row: a `<td>` per indicator code, in the order of `codes`."""
    written = []
    for code, _name, kind in codes:
        cell = cells[code]
        actual = "—" if cell.actual.value is None else format_value(cell.actual.value, kind)
        target = "" if cell.target is None else f"/ {format_value(cell.target, kind)}"
        share = "" if cell.achievement is None else f" · {round(float(cell.achievement) * 100)} %"
        written.append(
            f'<td class="{STATUS_CLASSES.get(cell.status, "")}" data-code="{escape(code)}" '
            f'data-status="{cell.status}">{actual}<div class="small text-muted">{target}{share}'
            "</div></td>"
        )
    return mark_safe("".join(written))  # numbers, fixed words and escaped codes


@dataclass(frozen=True)
class WrittenMatrix:
    """What the matrix page shows of `MatrixFigures`, with each CTI's row already written: the
    page reads this rather than every cell's figures (unpickling those took a fifth of it)."""

    codes: list[tuple[str, str, str]]
    totals: dict[str, semantics.Aggregate]
    reporting: frozenset[int]
    rows: dict[int, SafeString]  # by CTI id


def written_matrix(figures: MatrixFigures) -> WrittenMatrix:
    rows = {cti_id: matrix_cells(cells, figures.codes) for cti_id, cells in figures.rows.items()}
    return WrittenMatrix(figures.codes, figures.totals, figures.reporting, rows)
