"""Reading spreadsheets people send: XLSX, or CSV in UTF-8 with or without BOM, `;` or `,`.

Rows are streamed (read-only workbook, line by line CSV) with their spreadsheet row number and a
dict keyed by the header's normalised names, so error messages can say "row 12, column Valeur".
"""

import csv
import datetime
import functools
import io
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from pilotage.core.errors import ErrorCode, ServiceError
from pilotage.core.numbers import parse_decimal

TABULAR_EXTENSIONS = frozenset({".xlsx", ".csv"})


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


def read_rows(
    upload: UploadedFile, aliases: dict[str, str] | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, {column key: cell}); `aliases` maps normalised headers (in any language) to
    the keys the caller uses, once for the header rather than once per row."""
    suffix = Path(upload.name).suffix.lower()
    if suffix == ".xlsx":
        yield from _xlsx_rows(upload, aliases or {})
    elif suffix == ".csv":
        yield from _csv_rows(upload, aliases or {})
    else:
        raise ServiceError(
            ErrorCode.INVALID, field_errors={"file": [_("Send an XLSX or CSV file.")]}
        )


def _rows_from(
    lines: Iterator[list[Any]], aliases: dict[str, str]
) -> Iterator[tuple[int, dict[str, Any]]]:
    header = None
    for number, cells in enumerate(lines, start=1):
        if header is None:
            header = [aliases.get(header_key(cell), header_key(cell)) for cell in cells]
            continue
        if all(cell in (None, "") for cell in cells):
            continue
        yield number, dict(zip(header, cells, strict=False))


def _xlsx_rows(
    upload: UploadedFile, aliases: dict[str, str]
) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception:
        raise ServiceError(
            ErrorCode.INVALID,
            field_errors={"file": [_("This file is not a readable XLSX workbook.")]},
        ) from None
    try:
        yield from _rows_from(
            (list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)), aliases
        )
    finally:
        workbook.close()


def _csv_rows(
    upload: UploadedFile, aliases: dict[str, str]
) -> Iterator[tuple[int, dict[str, Any]]]:
    text = io.TextIOWrapper(upload.file, encoding="utf-8-sig", newline="")
    try:
        sample = text.read(4096)
        text.seek(0)
        delimiter = ";" if sample.count(";") >= sample.count(",") else ","
        yield from _rows_from(iter(csv.reader(text, delimiter=delimiter)), aliases)
    except UnicodeDecodeError:
        raise ServiceError(
            ErrorCode.INVALID, field_errors={"file": [_("The CSV file must be encoded in UTF-8.")]}
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
        return Decimal(repr(value))
    text = str(value).strip()
    return parse_decimal(text) if text else None


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
