"""Reading spreadsheets people send: XLSX, or CSV in UTF-8 with or without BOM, `;` or `,`.

Rows are streamed (read-only workbook, line by line CSV) with their spreadsheet row number and a
dict keyed by the import's column keys, so error messages can say "row 12, column Valeur". Every
import reads through `read_table`, so the same fault in any file gets the same answer.
"""

import csv
import datetime
import functools
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from pilotage.core.errors import ErrorCode, ServiceError
from pilotage.core.numbers import parse_decimal

TABULAR_EXTENSIONS = frozenset({".xlsx", ".csv"})

# Bounds checked before a file is expanded, so a small hostile file cannot take a worker's memory
# or time: an XLSX is a zip whose parts may expand a thousandfold (a 2 MB file to 1 GB of shared
# strings, read into memory whole by any XLSX reader), and a sheet may declare millions of rows.
MAX_CELL_LENGTH = 32_767  # Excel's own limit for one cell
MAX_COLUMNS = 200
MAX_EXPANSION_RATIO = 100  # real sheets compress 5 to 30 times
MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024  # the one part a reader holds in memory
MAX_EXPANDED_BYTES = 1024 * 1024 * 1024  # the whole workbook, read as a stream
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+\d+:)?([A-Z]+)(\d+)"')
# The csv module refuses longer fields with an error of its own: let it stop at our limit.
csv.field_size_limit(MAX_CELL_LENGTH)


def header_key(text: Any) -> str:
    """`Numérateur ` → `numerateur`: headers match whatever their accents, case and spaces."""
    # Drop the accents (combining marks), keep every letter: an Arabic header stays Arabic.
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "_".join(plain.lower().split())


def labels_everywhere(label: Any) -> set[str]:
    """The label's normalised form in each of the platform's languages: a file made by a French,
    Arabic or English user names its columns and choices in their language."""
    keys = set()
    for language in ("fr", "ar", "en"):
        with translation.override(language):
            keys.add(header_key(str(label)))
    return keys


def choice_map(choices: list[tuple[str, Any]], extra: dict[str, str] | None = None) -> dict:
    """Codes and labels (in every language) of a choice list, normalised, to their code."""
    mapping = {}
    for code, label in choices:
        mapping[header_key(code)] = code
        for key in labels_everywhere(label):
            mapping[key] = code
    for alias, code in (extra or {}).items():
        mapping[header_key(alias)] = code
    return mapping


def choice_lookup(mapping: dict[str, str], text: str) -> str:
    """A choice's code from its code or label as typed (the usual exact code found first)."""
    return mapping.get(text) or mapping.get(header_key(text), "")


@dataclass(frozen=True)
class Column:
    """A column an import reads: its key, its header (found in any of the platform's
    languages), whether a file must have it, and other names people give it."""

    key: str
    label: Any
    required: bool = False
    aliases: tuple[str, ...] = ()


def read_table(upload: UploadedFile, columns: Sequence[Column]) -> Iterator[tuple[int, dict]]:
    """(row number, {column key: cell}) for each data row of an XLSX or CSV file.

    The same rules for every import: the file is refused as a whole (ServiceError on "file"),
    naming the columns, when its header has a column the import does not know (its data would
    be lost), misses a required one, names one twice, when a row has a value under no header,
    or when it has no data row at all."""
    names = {}
    for column in columns:
        for name in (column.key, *column.aliases, *labels_everywhere(column.label)):
            names[header_key(name)] = column.key
    suffix = Path(upload.name).suffix.lower()
    if suffix == ".xlsx":
        lines = _xlsx_lines(upload)
    elif suffix == ".csv":
        lines = _csv_lines(upload)
    else:
        raise _file_error(_("Send an XLSX or CSV file."))
    max_rows = settings.IMPORT_MAX_ROWS
    with closing(lines):
        header: list[str | None] | None = None
        rows = width = 0
        blanks = False
        for number, cells in enumerate(lines, start=1):
            if header is None:
                header = _checked_header(cells, names, columns)
                # Blank header cells are kept as None so positions hold; a value under one is
                # refused below, and the rest is the quick path of every row.
                width = max((i + 1 for i, key in enumerate(header) if key), default=0)
                header = header[:width]
                blanks = None in header
                continue
            if all(cell in (None, "") for cell in cells):
                continue
            if blanks or len(cells) > width:
                _refuse_unnamed_values(number, header, cells)
            rows += 1
            if rows > max_rows:
                raise _too_many_rows(max_rows)
            yield number, dict(zip(header, cells, strict=False))
    if not rows:
        raise _file_error(_("The file has no data row."))


def row_message(number: int, column: Any, message: str) -> str:
    """An import's error as people read it: "Row 12, column Hours: …" (or without the column)."""
    if not column:
        return _("Row %(row)s: %(message)s") % {"row": number, "message": message}
    return _("Row %(row)s, column %(column)s: %(message)s") % {
        "row": number, "column": column, "message": message
    }  # fmt: skip


def _refuse_unnamed_values(number: int, header: list[str | None], cells: list[Any]) -> None:
    for position, cell in enumerate(cells):
        if cell not in (None, "") and (position >= len(header) or header[position] is None):
            raise _file_error(
                _("Row %(row)s has a value in column %(position)s, which has no header: name the"
                  " column or remove it.") % {"row": number, "position": position + 1}
            )  # fmt: skip


def _checked_header(cells: list[Any], names: dict[str, str], columns: Sequence[Column]):
    """The header's keys by position (None for a blank header cell), or the file's refusal."""
    labels = {column.key: str(column.label) for column in columns}
    header, unknown, twice = [], [], []
    for cell in cells:
        text = cell_text(cell)
        key = names.get(header_key(text)) if text else None
        if text and key is None:
            unknown.append(text)
        elif key in header:
            twice.append(labels[key])
        header.append(key)
    missing = [labels[c.key] for c in columns if c.required and c.key not in header]
    problems = []
    if unknown:
        problems.append(_("This file has columns this import does not know: %(columns)s.")
                        % {"columns": _quoted(unknown)})  # fmt: skip
    if missing:
        problems.append(_("Required columns are missing: %(columns)s.")
                        % {"columns": _quoted(missing)})  # fmt: skip
    if twice:
        problems.append(_("These columns appear twice: %(columns)s.")
                        % {"columns": _quoted(twice)})  # fmt: skip
    if problems:
        problems.append(_("The columns of this import are: %(columns)s.")
                        % {"columns": _quoted(labels.values())})  # fmt: skip
        raise ServiceError(ErrorCode.INVALID, field_errors={"file": problems})
    return header


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(_("“%(name)s”") % {"name": name} for name in names)


def _file_error(message: str) -> ServiceError:
    return ServiceError(ErrorCode.INVALID, field_errors={"file": [message]})


def _too_many_rows(limit: int) -> ServiceError:
    return _file_error(
        _("The file has more than %(limit)s rows: split it into several files.")
        % {"limit": f"{limit:,}".replace(",", "\u202f")}
    )


def _too_many_columns() -> ServiceError:
    return _file_error(
        _("The file has more than %(limit)s columns: keep only the import's columns.")
        % {"limit": MAX_COLUMNS}
    )


def _too_long_cell(number: int) -> ServiceError:
    return _file_error(
        _("Row %(row)s has a cell longer than %(limit)s characters.")
        % {"row": number, "limit": f"{MAX_CELL_LENGTH:,}".replace(",", "\u202f")}
    )


def check_xlsx_bounds(upload: UploadedFile) -> None:
    """Refuse a workbook that would expand beyond what a worker may spend on it, reading only
    the zip's directory and the start of each sheet (a few kilobytes, whatever the file)."""
    too_large = _file_error(
        _("This workbook expands to much more than its size: it cannot be read safely. Save it"
          " again from your spreadsheet, or send it as CSV.")
    )  # fmt: skip
    try:
        with zipfile.ZipFile(upload) as archive:
            parts = archive.infolist()
            if sum(part.file_size for part in parts) > MAX_EXPANDED_BYTES:
                raise too_large
            for part in parts:
                if part.file_size > 1024 * 1024 and (
                    part.file_size > MAX_EXPANSION_RATIO * max(part.compress_size, 1)
                ):
                    raise too_large
                if part.filename.endswith("sharedStrings.xml") and (
                    part.file_size > MAX_SHARED_STRINGS_BYTES
                ):
                    raise too_large
                if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml"):
                    with archive.open(part) as sheet:
                        _check_dimension(sheet.read(4096))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise _file_error(_("This file is not a readable XLSX workbook.")) from None
    finally:
        upload.seek(0)


def _check_dimension(start: bytes) -> None:
    """A sheet's declared extent (`<dimension ref="A1:K5000000"/>`), which a reader trusts to
    size every row: refused beyond the row and column limits before any row is read."""
    match = _DIMENSION.search(start)
    if match is None:
        return  # undeclared: the rows are counted as they are read
    columns = functools.reduce(lambda n, letter: n * 26 + ord(letter) - 64, match[2].decode(), 0)
    if columns > MAX_COLUMNS:
        raise _too_many_columns()
    if int(match[3]) > settings.IMPORT_MAX_ROWS + 1:  # the header row and the data
        raise _too_many_rows(settings.IMPORT_MAX_ROWS)


def _xlsx_lines(upload: UploadedFile) -> Iterator[list[Any]]:
    check_xlsx_bounds(upload)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception:
        raise _file_error(_("This file is not a readable XLSX workbook.")) from None
    try:
        # The reader itself stops each cell at MAX_CELL_LENGTH (Excel's limit).
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            if len(row) > MAX_COLUMNS:
                raise _too_many_columns()
            yield list(row)
    finally:
        workbook.close()


def _csv_lines(upload: UploadedFile) -> Iterator[list[Any]]:
    text = io.TextIOWrapper(upload.file, encoding="utf-8-sig", newline="")
    reader = None
    try:
        sample = text.read(4096)
        text.seek(0)
        delimiter = ";" if sample.count(";") >= sample.count(",") else ","
        reader = csv.reader(text, delimiter=delimiter)
        for cells in reader:
            if len(cells) > MAX_COLUMNS:
                raise _too_many_columns()
            yield cells
    except UnicodeDecodeError:
        raise _file_error(_("The CSV file must be encoded in UTF-8.")) from None
    except csv.Error as exc:  # the module's own checks: a field over the limit, a stray quote
        line = reader.line_num if reader else 1
        if "field limit" in str(exc):
            raise _too_long_cell(line) from None
        raise _file_error(
            _("Row %(row)s of this CSV file cannot be read.") % {"row": line}
        ) from None
    finally:
        text.detach()


# --- cells as people type them ---------------------------------------------------------------

EXCEL_EPOCH = datetime.date(1899, 12, 30)  # Excel's day 0 (it counts 1900 as a leap year)
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y")


def cell_text(value: Any) -> str:
    if value.__class__ is str and "\x00" not in value:
        return value.strip()  # what CSV cells are: the quick way first
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an ICE or a code typed as a number in Excel
    return str(value).replace("\x00", "").strip()  # NUL: no database text column takes it


def cell_decimal(value: Any) -> Decimal | None:
    """A number from a cell: typed (XLSX) or French / plain text (`1 234,50`). None if empty;
    ValueError for text that is not a number."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(value)  # NaN or an infinity: not an amount anyone typed
        return Decimal(repr(value))
    text = str(value).strip()
    return parse_decimal(text) if text else None


def cell_integer(value: Any) -> int | None:
    """A whole number from a cell (`2024`, `2024,0`, 3.0); None if empty; ValueError for text,
    a fraction, NaN or an infinity (what `int(Decimal(...))` would crash on)."""
    number = cell_decimal(value)
    if number is None:
        return None
    if not number.is_finite() or number != number.to_integral_value():
        raise ValueError(value)
    return int(number)


def cell_date(value: Any) -> datetime.date | None:
    """A date from a cell: a real date (XLSX), `31/12/2024`, `2024-12-31`, or an Excel serial
    number (`45657`, what a date column pasted as numbers shows). None if empty; ValueError else."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):  # a TRUE/FALSE cell is not a day
        raise ValueError(value)
    text = str(value).strip()
    if not text:
        return None
    if isinstance(value, int | float):
        return _serial_date(value)
    return _text_date(text)


def _serial_date(serial: float | str) -> datetime.date:
    # float() of a huge integer cell overflows; of its text, it gives inf: both are refused.
    number = float(str(serial))
    if 1 <= number < 2_958_466:  # Excel's last day is 31/12/9999
        return EXCEL_EPOCH + datetime.timedelta(days=int(number))
    raise ValueError(serial)


@functools.lru_cache(maxsize=4096)  # a file repeats the same few hundred dates
def _text_date(text: str) -> datetime.date:
    if text.replace(".", "", 1).isdigit():
        return _serial_date(text)
    day, _sep, rest = text.partition("/")
    month, _sep, year = rest.partition("/")
    if len(year) == 4 and day.isdigit() and month.isdigit() and year.isdigit():
        return datetime.date(int(year), int(month), int(day))  # the usual 31/12/2024, quickly
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)
