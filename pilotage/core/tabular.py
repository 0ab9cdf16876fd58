"""Reading spreadsheets people send: XLSX, or CSV in UTF-8 with or without BOM, `;` or `,`.

Rows are streamed (read-only workbook, line by line CSV) with their spreadsheet row number and a
dict keyed by the header's normalised names, so error messages can say "row 12, column Valeur".
"""

import csv
import io
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from pilotage.core.errors import ErrorCode, ServiceError

TABULAR_EXTENSIONS = frozenset({".xlsx", ".csv"})


def header_key(text: Any) -> str:
    """`Numérateur ` → `numerateur`: headers match whatever their accents, case and spaces."""
    plain = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return "_".join(plain.lower().split())


def read_rows(upload: UploadedFile) -> Iterator[tuple[int, dict[str, Any]]]:
    suffix = Path(upload.name).suffix.lower()
    if suffix == ".xlsx":
        yield from _xlsx_rows(upload)
    elif suffix == ".csv":
        yield from _csv_rows(upload)
    else:
        raise ServiceError(
            ErrorCode.INVALID, field_errors={"file": [_("Send an XLSX or CSV file.")]}
        )


def _rows_from(lines: Iterator[list[Any]]) -> Iterator[tuple[int, dict[str, Any]]]:
    header = None
    for number, cells in enumerate(lines, start=1):
        if header is None:
            header = [header_key(cell) for cell in cells]
            continue
        if all(cell in (None, "") for cell in cells):
            continue
        yield number, dict(zip(header, cells, strict=False))


def _xlsx_rows(upload: UploadedFile) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception:
        raise ServiceError(
            ErrorCode.INVALID,
            field_errors={"file": [_("This file is not a readable XLSX workbook.")]},
        ) from None
    try:
        yield from _rows_from(
            list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)
        )
    finally:
        workbook.close()


def _csv_rows(upload: UploadedFile) -> Iterator[tuple[int, dict[str, Any]]]:
    text = io.TextIOWrapper(upload.file, encoding="utf-8-sig", newline="")
    try:
        sample = text.read(4096)
        text.seek(0)
        delimiter = ";" if sample.count(";") >= sample.count(",") else ","
        yield from _rows_from(iter(csv.reader(text, delimiter=delimiter)))
    except UnicodeDecodeError:
        raise ServiceError(
            ErrorCode.INVALID, field_errors={"file": [_("The CSV file must be encoded in UTF-8.")]}
        ) from None
    finally:
        text.detach()
