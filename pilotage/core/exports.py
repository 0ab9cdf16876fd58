"""Every file the platform writes goes through here: list exports (XLSX and CSV, with their
filters applied, DESIGN §7) and the templates people fill offline.

Every cell is neutralised against formula injection: a text that starts like a formula
(= + - @ tab CR) is stored as text in XLSX and prefixed with an apostrophe in CSV, since names,
units and comments are typed by users. Nothing else in the code base writes a cell.
"""

import csv
import datetime
import decimal
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from pilotage.core.tables import Column

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXPORT_FORMATS = ("csv", "xlsx")
CHUNK = 2000

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | decimal.Decimal):
        return value
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value
    return force_str(value)


def neutralise(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _xlsx_value(value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, str):
        # Control characters are illegal in XLSX: one would break the whole file.
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _format(cell: Any, value: Any) -> None:
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    elif isinstance(value, datetime.datetime):
        cell.number_format = "DD/MM/YYYY HH:MM"
    elif isinstance(value, datetime.date):
        cell.number_format = "DD/MM/YYYY"


def append_row(
    sheet: Any,
    values: Iterable[Any],
    *,
    bold: bool = False,
    number_formats: Sequence[str | None] = (),
) -> None:
    """Add a row to a sheet being built (a template to fill, a report): the cells the list
    exports write, with a number format per column if given. The cells are made before they are
    appended: reading the row back (`sheet[sheet.max_row]`) scans the whole sheet each time."""
    font = Font(bold=True) if bold else None
    cells = []
    for position, value in enumerate(values):
        plain = _xlsx_value(value)
        cell = Cell(sheet, value=plain)
        _format(cell, plain)
        number_format = number_formats[position] if position < len(number_formats) else None
        if number_format and isinstance(plain, int | float | decimal.Decimal):
            cell.number_format = number_format
        if font is not None:
            cell.font = font
        cells.append(cell)
    sheet.append(cells)


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_cell(value: Any) -> str:
    # The usual cells first, by exact type: a long export writes a million of them.
    kind = value.__class__
    if kind is str:
        return neutralise(value)
    if value is None:
        return ""
    if kind is int:
        return str(value)
    if kind is decimal.Decimal:
        return str(value).replace(".", ",")
    if kind is datetime.date:
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    value = _plain(value)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, decimal.Decimal | float):
        return str(value).replace(".", ",")  # French Excel reads a decimal comma
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return neutralise(str(value))


def _item(position: int):
    return lambda row: row[position]


def csv_stream(columns: list[Column], rows: Iterable[Any]) -> Iterator[str]:
    return _csv_tuples(columns, ([column.value(obj) for column in columns] for obj in rows))


def xlsx_bytes(columns: list[Column], rows: Iterable[Any], title: str) -> Iterator[bytes]:
    import tempfile

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=force_str(title)[:31] or "export")
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=force_str(column.label))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for obj in rows:
        cells = []
        for column in columns:
            value = _xlsx_value(column.value(obj))
            cell = WriteOnlyCell(sheet, value=value)
            _format(cell, value)
            cells.append(cell)
        sheet.append(cells)
    # openpyxl writes to a file; a temporary file keeps memory flat for long lists.
    with tempfile.TemporaryFile() as handle:
        workbook.save(handle)
        handle.seek(0)
        while chunk := handle.read(64 * 1024):
            yield chunk


def _plain_fields(queryset: models.QuerySet, columns: list[Column]) -> list[tuple] | None:
    """Each column as (lookup path, model field) when every column is a plain field reached
    through foreign keys; None when a column needs the objects (a function, a many-to-many, a
    translated name with its fallback)."""
    from modeltranslation.translator import NotRegistered, translator

    fields = []
    for column in columns:
        if callable(column.accessor):
            return None
        model, parts = queryset.model, (column.accessor or column.name).split(".")
        for position, part in enumerate(parts):
            try:
                field = model._meta.get_field(part)
            except FieldDoesNotExist:
                return None  # a property or a method: only the object knows it
            last = position == len(parts) - 1
            if field.many_to_many or field.one_to_many or (last and field.is_relation):
                return None
            try:
                if part in translator.get_options_for_model(model).all_fields:
                    return None
            except NotRegistered:
                pass
            if not last:
                model = field.related_model
        fields.append(("__".join(parts), field))
    return fields


def _labels(field: models.Field) -> dict[Any, str] | None:
    return {k: force_str(v) for k, v in field.flatchoices} if field.choices else None


def _direct_values(fields: list[tuple], queryset: models.QuerySet) -> Iterator[tuple]:
    """The rows as database tuples (choices shown by their labels): 10 to 20 times faster than
    building each model and reading its attributes, for the long exports."""
    rows = queryset.values_list(*[path for path, _field in fields]).iterator(chunk_size=CHUNK)
    labels = [_labels(field) for _path, field in fields]
    if not any(labels):
        return rows
    return (
        tuple(
            mapping.get(value, value) if mapping else value
            for mapping, value in zip(labels, row, strict=True)
        )
        for row in rows
    )


# --- CSV written by PostgreSQL ---------------------------------------------------------------
# `COPY (SELECT …) TO STDOUT` with every cell formatted as `_csv_cell` formats it: the rows never
# become Python objects, which is what it takes to stay within 5 × a bare COPY (DESIGN §9).

_FORMULA_PATTERN = "^([=+@\t\r-])"  # FORMULA_STARTS as a PostgreSQL regular expression
TEXT = models.TextField()


def _neutralised_text(expression: Any) -> Any:
    from django.db.models import Func, Value
    from django.db.models.functions import Cast, NullIf

    text = Cast(expression, TEXT)
    pattern, prefixed = Value(_FORMULA_PATTERN), Value("'\\1")
    neutral = Func(text, pattern, prefixed, function="regexp_replace", output_field=TEXT)
    return NullIf(neutral, Value(""), output_field=TEXT)  # empty text: an empty cell


def _sql_cell(path: str, field: models.Field) -> Any:
    """The cell `_csv_cell` writes for this field, as an SQL expression; None for a type it
    does not know (the export then takes the Python path)."""
    from django.db.models import Case, F, Func, Value, When
    from django.db.models.functions import Cast

    if choices := _labels(field):
        labels = [When(**{path: key}, then=Value(label)) for key, label in choices.items()]
        return _neutralised_text(Case(*labels, default=Cast(F(path), TEXT), output_field=TEXT))
    kind = field.get_internal_type()
    if kind in {"CharField", "TextField", "EmailField", "URLField", "SlugField"}:
        return _neutralised_text(F(path))
    if kind in {"IntegerField", "BigIntegerField", "SmallIntegerField", "AutoField",
                "BigAutoField", "PositiveIntegerField", "PositiveSmallIntegerField",
                "PositiveBigIntegerField"}:  # fmt: skip
        return F(path)
    if kind in {"DecimalField", "FloatField"}:  # French Excel reads a decimal comma
        return Func(
            Cast(F(path), TEXT), Value("."), Value(","), function="replace", output_field=TEXT
        )
    if kind == "DateField":
        return Func(F(path), Value("DD/MM/YYYY"), function="to_char", output_field=TEXT)
    if kind == "DateTimeField":
        zone = Value(timezone.get_current_timezone_name())
        local = Func(zone, F(path), function="timezone", output_field=models.DateTimeField())
        return Func(local, Value("DD/MM/YYYY HH24:MI"), function="to_char", output_field=TEXT)
    if kind == "BooleanField":
        yes, no = When(**{path: True}, then=Value("1")), When(**{path: False}, then=Value("0"))
        return Case(yes, no, output_field=TEXT)
    return None


def _copy_csv(columns: list[Column], fields: list[tuple], queryset: models.QuerySet):
    """The CSV body as PostgreSQL writes it, or None where it cannot (another database, a
    DISTINCT query whose ordering would add columns, a field type `_sql_cell` does not know)."""
    if connection.vendor != "postgresql" or queryset.query.distinct:
        return None
    cells = {f"cell_{i}": _sql_cell(path, field) for i, (path, field) in enumerate(fields)}
    if any(cell is None for cell in cells.values()):
        return None
    sql, params = queryset.annotate(**cells).values_list(*cells).query.sql_with_params()
    statement = f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, DELIMITER ';')"

    def body() -> Iterator[bytes]:
        yield _csv_header(columns).encode()
        with connection.cursor() as cursor, cursor.cursor.copy(statement, params) as copy:
            for block in copy:
                yield bytes(block)

    return body()


def export_response(
    fmt: str, columns: list[Column], queryset: models.QuerySet, filename: str
) -> StreamingHttpResponse:
    fields = _plain_fields(queryset, columns) if hasattr(queryset, "values_list") else None
    copied = _copy_csv(columns, fields, queryset) if fields and fmt == "csv" else None
    direct = _direct_values(fields, queryset) if fields and copied is None else None
    if copied is not None:
        body: Iterator[Any] = copied
    elif direct is not None and fmt == "csv":
        body = _csv_tuples(columns, direct)
    else:
        if direct is not None:  # XLSX reads the same tuples, cell by cell
            columns = [Column(c.name, c.label, accessor=_item(i)) for i, c in enumerate(columns)]
            rows: Iterable[Any] = direct
        else:  # a queryset streams in chunks; a computed list (a report) is already in memory
            rows = (
                queryset.iterator(chunk_size=CHUNK) if hasattr(queryset, "iterator") else queryset
            )
        body = xlsx_bytes(columns, rows, filename) if fmt == "xlsx" else csv_stream(columns, rows)
    content_type = XLSX_CONTENT_TYPE if fmt == "xlsx" else "text/csv; charset=utf-8"
    response = StreamingHttpResponse(body, content_type=content_type)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.{fmt}"'
    return response


def _csv_tuples(columns: list[Column], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The CSV of rows that are already sequences of cells, written by the thousand."""
    writer = _csv_writer()
    yield _csv_header(columns)
    batch = []
    for row in rows:
        batch.append(writer.writerow(list(map(_csv_cell, row))))
        if len(batch) == CHUNK:
            yield "".join(batch)
            batch = []
    yield "".join(batch)


def _csv_writer() -> Any:
    # ';' and UTF-8 with a BOM: what Excel in a French locale opens correctly by double-click.
    # Lines end with LF, as PostgreSQL's COPY writes them, so both paths give the same file.
    return csv.writer(_Echo(), delimiter=";", lineterminator="\n")


def _csv_header(columns: list[Column]) -> str:
    return "\ufeff" + _csv_writer().writerow([force_str(c.label) for c in columns])


def data_csv(header: list[str], rows: Iterable[Sequence[Any]]) -> str:
    """Plain CSV for machines (open data read by a portal, Frictionless): comma, UTF-8 without
    BOM, a dot for decimals, true/false; text cells neutralised like every export's."""

    def cell(value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str):
            return neutralise(value)
        return value

    writer = csv.writer(_Echo(), lineterminator="\n")
    lines = [writer.writerow(header)]
    lines += [writer.writerow([cell(v) for v in row]) for row in rows]
    return "".join(lines)
