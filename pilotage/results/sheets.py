"""The reporting template: a CTI downloads its contract's indicators for a period as XLSX, fills
it offline and uploads it back (XLSX or CSV). Every row is checked before anything is saved."""

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import PatternFill

from pilotage.core.errors import ErrorCode, ServiceError
from pilotage.core.exports import append_row, workbook_bytes
from pilotage.core.files import check_upload
from pilotage.core.tabular import TABULAR_EXTENSIONS, Column, cell_decimal, read_table
from pilotage.results.selectors import SheetRow

EDITABLE_FILL = PatternFill("solid", fgColor="FFF8DC")


def columns() -> list[Column]:
    """The template's columns in the file's order; only the id is required back."""
    return [
        Column("id", "ID", required=True),
        Column("code", gettext_lazy("Code")),
        Column("indicator", gettext_lazy("Indicator")),
        Column("unit", gettext_lazy("Unit")),
        Column("target", gettext_lazy("Target")),
        Column("value", gettext_lazy("Value")),
        Column("numerator", gettext_lazy("Numerator")),
        Column("denominator", gettext_lazy("Denominator")),
        Column("comment", gettext_lazy("Comment")),
        Column("status", gettext_lazy("Status")),
    ]


def template_bytes(rows: list[SheetRow], title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    header = columns()
    append_row(sheet, [str(column.label) for column in header], bold=True)
    for row in rows:
        m, indicator = row.measurement, row.indicator
        append_row(sheet, [
            indicator.pk, indicator.code, indicator.name, indicator.unit,
            row.target.value if row.target else None,
            m.value if m else None, m.numerator if m else None, m.denominator if m else None,
            m.comment if m else "", row.status,
        ])  # fmt: skip
        number = sheet.max_row
        editable = ("numerator", "denominator") if indicator.kind == "percentage" else ("value",)
        for position, column in enumerate(header, start=1):
            if column.key in (*editable, "comment"):
                sheet.cell(row=number, column=position).fill = EDITABLE_FILL
    sheet.column_dimensions["A"].hidden = True  # the id ties a line to its indicator
    sheet.column_dimensions["C"].width = 50
    return workbook_bytes(workbook)


def parse_upload(upload: UploadedFile, rows: list[SheetRow]) -> list[dict[str, Any]]:
    """The file's lines as service rows; every problem is reported as "row N, column X: …" and
    nothing is returned unless the whole file is right."""
    check_upload(upload, extensions=TABULAR_EXTENSIONS)
    labels = {column.key: str(column.label) for column in columns()}
    by_id = {row.indicator.pk: row.indicator for row in rows}
    errors: list[str] = []
    lines, seen = [], set()

    def error(number: int, key: str, message: str) -> None:
        errors.append(
            _("Row %(row)s, column %(column)s: %(message)s")
            % {"row": number, "column": labels[key], "message": message}
        )

    for number, cells in read_table(upload, columns()):
        try:
            indicator = by_id.get(int(cells.get("id") or 0))
        except (TypeError, ValueError):
            indicator = None
        if indicator is None:
            error(number, "id", _("this line is not an indicator of this contract."))
            continue
        if indicator.pk in seen:
            error(number, "id", _("this indicator appears twice in the file."))
            continue
        seen.add(indicator.pk)
        line = {
            "indicator": indicator,
            "row": number,
            "comment": str(cells.get("comment") or "").strip(),
        }
        for key in ("value", "numerator", "denominator"):
            try:
                line[key] = cell_decimal(cells.get(key))
            except ValueError:
                error(number, key, _("“%(text)s” is not a number.") % {"text": cells.get(key)})
        if all(line.get(k) is None for k in ("value", "numerator", "denominator")):
            continue  # left blank: nothing reported for this indicator yet
        lines.append(line)
    if errors:
        raise ServiceError(ErrorCode.INVALID, field_errors={"file": errors})
    return lines


def located(exc: ServiceError, lines: list[dict[str, Any]]) -> ServiceError:
    """The sheet service's errors (keyed `value-<indicator id>`) as "row N, column X" messages."""
    labels = {column.key: str(column.label) for column in columns()}
    rows = {line["indicator"].pk: line["row"] for line in lines}
    messages = []
    for key, texts in exc.field_errors.items():
        field, _sep, indicator_id = key.rpartition("-")
        row = rows.get(int(indicator_id)) if indicator_id.isdigit() else None
        for text in texts:
            if row is None:
                messages.append(text)
            else:
                messages.append(
                    _("Row %(row)s, column %(column)s: %(message)s")
                    % {"row": row, "column": labels.get(field, field), "message": text}
                )
    return ServiceError(exc.code, field_errors={"file": messages or [exc.message]})
