"""A session's attendance sheet: exported as XLSX with one row per trainee of the cohort (the
hours already recorded filled in), filled by hand, and imported back — every row read and
checked through the same rules as the page, then all saved in one transaction, or none."""

from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from pilotage.core import access
from pilotage.core.errors import ErrorCode, ServiceError
from pilotage.core.exports import append_row, workbook_bytes
from pilotage.core.files import check_upload
from pilotage.core.tabular import (
    TABULAR_EXTENSIONS,
    Column,
    cell_decimal,
    cell_integer,
    cell_text,
    read_table,
    row_message,
)
from pilotage.training import selectors, services
from pilotage.training.models import TrainingSession

COLUMNS = [
    Column("session", gettext_lazy("Session no."), required=True),
    Column("trainee", gettext_lazy("Trainee no."), required=True),
    Column("name", gettext_lazy("Name")),
    Column("affiliation", gettext_lazy("Organisation or company")),
    Column("hours", gettext_lazy("Hours attended"), required=True),
]


def sheet_bytes(session: TrainingSession) -> bytes:
    """The sheet to fill: the session's number on every row, so that a sheet imported on the
    wrong session is refused rather than recorded there."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Attendance")[:31]
    append_row(sheet, [str(column.label) for column in COLUMNS], bold=True)
    for row in selectors.attendance_grid(session):
        append_row(sheet, [session.pk, row.pk, row.full_name, row.affiliation, row.hours])
    for letter, width in zip("ABCDE", (12, 12, 36, 30, 16), strict=True):
        sheet.column_dimensions[letter].width = width
    return workbook_bytes(workbook)


def attendance_import(*, actor: Any, session: TrainingSession, upload: UploadedFile) -> int:
    """Record every row's hours, or none: errors come back as "Row N, column X: …" for the
    whole file at once. An empty hours cell means absent. Returns the rows changed."""
    session = access.get_editable(TrainingSession, actor, session.pk)
    check_upload(upload, extensions=TABULAR_EXTENSIONS)
    labels = {column.key: str(column.label) for column in COLUMNS}
    hours: dict[int, Decimal | None] = {}
    rows: dict[int, int] = {}  # trainee → the row naming them, to place the service's refusals
    errors: list[str] = []
    for number, cells in read_table(upload, COLUMNS):
        try:
            if _integer(cells.get("session")) != session.pk:
                raise _RowError("session", _("this sheet belongs to another session."))
            trainee = _integer(cells.get("trainee"))
            if trainee is None:
                raise _RowError("trainee", _("this cell is required."))
            if trainee in hours:
                raise _RowError("trainee", _("this trainee is already on row %(row)s.")
                                % {"row": rows[trainee]})  # fmt: skip
            hours[trainee], rows[trainee] = _hours(cells.get("hours")), number
        except _RowError as exc:
            errors.append(row_message(number, labels[exc.column], exc.message))
    if not errors:
        try:
            return services.attendance_record(actor=actor, session=session, hours=hours,
                                              reason=_("Attendance sheet %(name)s")
                                              % {"name": upload.name})  # fmt: skip
        except services.AttendanceRefused as exc:
            errors += [row_message(rows[trainee], labels[field], message)
                       for trainee, field, message in exc.problems]  # fmt: skip
    raise ServiceError(ErrorCode.INVALID, field_errors={"file": errors})


class _RowError(Exception):
    def __init__(self, column: str, message: str):
        self.column, self.message = column, message


def _integer(raw: Any) -> int | None:
    try:
        return cell_integer(raw)
    except ValueError:
        return None


def _hours(raw: Any) -> Decimal | None:
    if cell_text(raw) == "":
        return None
    try:
        value = cell_decimal(raw)
    except (ValueError, ArithmeticError):
        value = None
    if value is None:
        raise _RowError("hours", _("“%(text)s” is not a number of hours.") % {"text": raw})
    return value
