"""Importing ledger entries from XLSX or CSV: every row is read and checked, then all rows are
posted in one transaction through the same services as the forms, or none is. A row whose
reference is already in the journal with the same figures is skipped, so the same file twice
adds nothing."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from pilotage.core import access
from pilotage.core.errors import ErrorCode, ServiceError
from pilotage.core.exports import append_row, workbook_bytes
from pilotage.core.files import check_upload
from pilotage.core.models import Organisation
from pilotage.core.tabular import (
    TABULAR_EXTENSIONS,
    Column,
    cell_date,
    cell_decimal,
    cell_integer,
    cell_text,
    choice_lookup,
    choice_map,
    read_table,
    row_message,
)
from pilotage.fund import services
from pilotage.fund.models import Allocation, Commitment, Entry, EntryKind
from pilotage.governance.models import Decision
from pilotage.programmes.models import Agreement, Programme
from pilotage.projects.models import Project

COLUMNS = [
    Column("kind", gettext_lazy("Kind"), required=True),
    Column("date", gettext_lazy("Date"), required=True),
    Column("reference", gettext_lazy("Reference"), required=True),
    Column("amount", gettext_lazy("Amount"), required=True),
    Column("plan", gettext_lazy("Plan")),
    Column("axis", gettext_lazy("Axis")),
    Column("cti", gettext_lazy("CTI")),
    Column("year", gettext_lazy("Year")),
    Column("to_axis", gettext_lazy("To axis")),
    Column("to_cti", gettext_lazy("To CTI")),
    Column("to_year", gettext_lazy("To year")),
    Column("commitment", gettext_lazy("Commitment")),
    Column("decision", gettext_lazy("Decision")),
    Column("agreement", gettext_lazy("Agreement")),
    Column("project", gettext_lazy("Project (code)")),
    Column("note", gettext_lazy("Note")),
]


def _kinds() -> dict[str, str]:
    """Entry kinds by code or label in any language, and the ministry's usual French words."""
    usual = {"engagement": EntryKind.COMMITMENT, "paiement": EntryKind.DISBURSEMENT,
             "decaissement": EntryKind.DISBURSEMENT}  # fmt: skip
    return choice_map(EntryKind.choices, usual)


def template_bytes() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Entries")[:31]
    append_row(sheet, [str(column.label) for column in COLUMNS], bold=True)
    return workbook_bytes(workbook)


@dataclass
class ImportReport:
    posted: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)


class RowError(Exception):
    def __init__(self, column: str, message: str):
        self.column, self.message = column, message


def _date(raw: Any) -> datetime.date:
    try:
        day = cell_date(raw)
    except ValueError:
        day = None
    if day is None:
        raise RowError(
            "date", _("“%(text)s” is not a date (dd/mm/yyyy).") % {"text": cell_text(raw)}
        )
    return day


def _amount(raw: Any) -> Decimal:
    try:
        amount = cell_decimal(raw)
    except (ValueError, ArithmeticError):
        amount = None
    if amount is None:
        raise RowError("amount", _("“%(text)s” is not an amount.") % {"text": raw})
    return amount


def _found(rows, column: str, **lookup):
    """The one row of `rows` (a model or a queryset) matching `lookup`, or the column's error."""
    row = getattr(rows, "objects", rows).filter(**lookup).first()
    if row is None:
        text = " · ".join(str(value) for value in lookup.values())
        raise RowError(column, _("“%(text)s” was not found.") % {"text": text})
    return row


class _Row:
    """One line of the file, read on demand with errors that name its column."""

    def __init__(self, cells: dict[str, Any]):
        self.cells = cells

    def text(self, key: str, required: bool = True) -> str:
        value = cell_text(self.cells.get(key))
        if required and not value:
            raise RowError(key, _("this cell is required."))
        return value

    def number(self, key: str) -> int:
        try:
            value = cell_integer(self.cells.get(key))
        except ValueError:
            value = None
        if value is None:
            text = self.text(key)  # an empty cell says "required"
            raise RowError(key, _("“%(text)s” is not a whole number.") % {"text": text})
        return value

    def line(self, programme: Programme, prefix: str = "") -> Allocation:
        """The allocation line the row names by axis number, CTI acronym and year; an error
        names the column that is wrong."""
        axis = _found(programme.axes, f"{prefix}axis", number=self.number(f"{prefix}axis"))
        cti = _found(Organisation, f"{prefix}cti", acronym__iexact=self.text(f"{prefix}cti"))
        year = self.number(f"{prefix}year")
        line = Allocation.objects.filter(programme=programme, axis=axis, cti=cti, year=year).first()
        if line is None:
            raise RowError(
                f"{prefix}year",
                _("no allocation to %(cti)s on axis %(axis)s for %(year)s.")
                % {"cti": cti.acronym, "axis": axis.number, "year": year},
            )
        return line


def _post_row(actor, kind: str, row: _Row) -> None:
    amount, date, reference = (
        _amount(row.cells.get("amount")),
        _date(row.cells.get("date")),
        row.text("reference"),
    )
    note = row.text("note", required=False)
    if kind == EntryKind.DISBURSEMENT:
        commitment = _found(Commitment, "commitment", reference=row.text("commitment"))
        services.disbursement_record(actor=actor, commitment=commitment, amount=amount,
                                     paid_on=date, payment_reference=reference, note=note)  # fmt: skip
        return
    programme = _found(Programme, "plan", code=row.text("plan"))
    if kind == EntryKind.ALLOCATION:
        axis = _found(programme.axes, "axis", number=row.number("axis"))
        cti = _found(Organisation, "cti", acronym__iexact=row.text("cti"))
        cited = row.text("decision", required=False)
        decision = _found(Decision, "decision", number=cited) if cited else None
        services.allocation_record(actor=actor, programme=programme, axis=axis, cti=cti,
                                   year=row.number("year"), amount=amount, entry_date=date,
                                   reference=reference, note=note, decision=decision)  # fmt: skip
        return
    source = row.line(programme)
    if kind == EntryKind.COMMITMENT:
        agreement_ref = row.text("agreement", required=False)
        agreement = (
            _found(Agreement, "agreement", reference=agreement_ref) if agreement_ref else None
        )
        project_code = row.text("project", required=False)
        project = _found(Project, "project", code=project_code) if project_code else None
        services.commitment_record(actor=actor, allocation=source, amount=amount,
                                   reference=reference, committed_on=date, agreement=agreement,
                                   project=project, description=note)  # fmt: skip
    else:
        decision = _found(Decision, "decision", number=row.text("decision"))
        services.reallocation_record(actor=actor, source=source, target=row.line(programme, "to_"),
                                     amount=amount, decision=decision, entry_date=date,
                                     reference=reference, note=note)  # fmt: skip


def _already_there(kind: str, row: _Row) -> bool:
    """Is this row's entry already in the journal (same reference, kind and amount)?"""
    existing = Entry.objects.filter(reference=row.text("reference"), reverses=None).first()
    if existing is None:
        return False
    if existing.kind != kind or existing.amount != _amount(row.cells.get("amount")):
        raise RowError("reference", _("this reference is already used by another entry."))
    return True


def ledger_import(*, actor, upload: UploadedFile) -> ImportReport:
    """Post every row of the file, or none: errors come back as "row N, column X: …"."""
    access.ensure_can_create(actor, Entry)
    check_upload(upload, extensions=TABULAR_EXTENSIONS)
    kinds = _kinds()
    labels = {column.key: column.label for column in COLUMNS}
    report = ImportReport()
    with transaction.atomic():
        for number, cells in read_table(upload, COLUMNS):
            row = _Row(cells)
            try:
                kind = choice_lookup(kinds, row.text("kind"))
                if not kind:
                    raise RowError(
                        "kind", _("unknown kind “%(text)s”.") % {"text": row.text("kind")}
                    )
                if _already_there(kind, row):
                    report.skipped += 1
                    continue
                # A savepoint per row: a refused row leaves nothing, and later rows still get
                # checked so that the report lists every problem of the file at once.
                with transaction.atomic():
                    _post_row(actor, kind, row)
                report.posted += 1
            except RowError as exc:
                report.errors.append(
                    row_message(number, labels.get(exc.column, exc.column), exc.message)
                )
            except ServiceError as exc:
                if exc.code == ErrorCode.FORBIDDEN:
                    raise
                for key, texts in (exc.field_errors or {"": [exc.message]}).items():
                    for text in texts:
                        report.errors.append(row_message(number, labels.get(key, key), text))
        if report.errors:
            transaction.set_rollback(True)
            report.posted = 0
    return report
