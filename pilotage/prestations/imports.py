"""Imports of deliveries and companies from XLSX or CSV (DESIGN §7).

Streamed in chunks so memory stays flat whatever the file's length:
1. check every row (cells, ICE, category, catalogue code, duplicates) with one query per chunk,
   collecting errors by row and column, and spool the new rows, converted, to a temporary file —
   nothing is written to the database (the keys met go to a temporary SQLite file, to find a
   reference repeated in the file without keeping them all in memory);
2. if no row failed, insert the spooled rows in one transaction with their history rows,
   attributed to the sender (COPY on PostgreSQL, bulk inserts elsewhere): all rows or none.
A row whose natural key is already in the register with the same values (the same file sent
twice) is counted as unchanged and adds nothing; with other values it is an error.

The import's life is here too: run by a worker as its sender, its outcome kept for the sender's
page and e-mail, ended as failed if its worker dies.
"""

import logging
import pickle
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from itertools import islice
from operator import attrgetter
from types import SimpleNamespace
from typing import Any

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from pilotage.core import jobs
from pilotage.core.audit import acting_as
from pilotage.core.errors import ServiceError
from pilotage.core.money import to_mad
from pilotage.core.regions import Region
from pilotage.core.tabular import (
    Column,
    cell_date,
    cell_decimal,
    cell_text,
    choice_lookup,
    choice_map,
    header_key,
    read_table,
)
from pilotage.prestations.ice import IceProblem, ice_check, ice_message
from pilotage.prestations.models import (
    Company,
    Funding,
    ImportKind,
    ImportStatus,
    LegalForm,
    ServiceCategory,
    ServiceDelivery,
    ServiceImport,
    ServiceOffering,
    SizeClass,
)

logger = logging.getLogger(__name__)

CHUNK = 2000
MAX_AMOUNT = Decimal(10) ** 12  # what a 14-digit, 2-decimal money column holds
MAX_KEPT_ERRORS = 1000
REASON = gettext_lazy("Imported from a file")


DELIVERY_COLUMNS = [
    Column("reference", gettext_lazy("Reference"), True, ("ref", "numero", "n")),
    Column("ice", gettext_lazy("ICE"), True, ("ice_entreprise",)),
    Column("started_on", gettext_lazy("Start date"), True, ("date", "date_debut", "date_de_debut")),
    Column("ended_on", gettext_lazy("End date"), False, ("date_fin", "date_de_fin")),
    Column("category", gettext_lazy("Category"), False, ("categorie",)),
    Column("offering", gettext_lazy("Catalogue code"), False, ("code_catalogue",)),
    Column("title", gettext_lazy("Title"), False, ("intitule", "objet")),
    Column("amount_invoiced", gettext_lazy("Amount invoiced (MAD)"), False, ("montant",)),
    Column("funding", gettext_lazy("Funding"), False, ("financement",)),
    Column("task_force_project", gettext_lazy("Task Force project"), False, ("task_force",)),
    Column("satisfaction", gettext_lazy("Satisfaction"), False, ()),
]
COMPANY_COLUMNS = [
    Column("ice", gettext_lazy("ICE"), True),
    Column("name", gettext_lazy("Name"), True, ("raison_sociale", "nom")),
    Column("name_ar", gettext_lazy("Name in Arabic"), False, ("nom_arabe", "nom_ar")),
    Column("legal_form", gettext_lazy("Legal form"), False, ("forme_juridique",)),
    Column("size_class", gettext_lazy("Size"), True, ("taille",)),
    Column("sector", gettext_lazy("Sector"), False, ("secteur",)),
    Column("region", gettext_lazy("Region"), True, ()),
    Column("city", gettext_lazy("City"), False, ("ville",)),
]
COLUMNS: dict[str, list[Column]] = {
    ImportKind.DELIVERIES: DELIVERY_COLUMNS,
    ImportKind.COMPANIES: COMPANY_COLUMNS,
}


@dataclass
class Outcome:
    rows_read: int = 0
    rows_created: int = 0
    rows_unchanged: int = 0
    error_count: int = 0
    errors: list[dict[str, Any]] | None = None

    def add_error(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        if self.errors is None:
            self.errors = []
        if len(self.errors) < MAX_KEPT_ERRORS:
            self.errors.append({"row": row, "column": column, "message": str(message)})


def _chunks(upload, columns: list[Column]) -> Iterator[list[tuple[int, dict[str, Any]]]]:
    rows = read_table(upload, columns)
    while chunk := list(islice(rows, CHUNK)):
        yield chunk


def _ice_cell(value: Any) -> str:
    """An ICE typed as a number in Excel lost its leading zeros: give them back."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{int(value):015d}"
    return cell_text(value)


class _Parser:
    """Turns a chunk of rows into model instances, reporting every problem to the outcome."""

    columns: list[Column]
    model: Any
    key_field: str

    def __init__(self, cti, outcome: Outcome):
        self.cti = cti
        self.outcome = outcome
        self.labels = {c.key: str(c.label) for c in self.columns}
        self.seen: SeenKeys | None = None  # set by run_import for the length of the file

    def error(self, row: int, key: str, message: str) -> None:
        self.outcome.add_error(row, self.labels.get(key, key), message)

    def required(self, row: int, cells: dict, key: str) -> str:
        text = cell_text(cells.get(key))
        if not text:
            self.error(row, key, _("This column is required."))
        return text

    def parse(self, chunk: list[tuple[int, dict]]) -> list[tuple[int, Any]]:
        raise NotImplementedError

    def existing(self, keys: list[str]) -> dict[str, Any]:
        raise NotImplementedError

    def same(self, new: Any, old: Any) -> bool:
        raise NotImplementedError

    def key_filter(self, rows: list[tuple]) -> tuple[str, list[Any]]:
        """SQL selecting the rows just inserted, by their natural key."""
        raise NotImplementedError

    @cached_property
    def fields(self) -> list[Any]:
        return [f for f in self.model._meta.concrete_fields if not f.primary_key]

    @cached_property
    def _getter(self) -> Callable[[Any], tuple]:
        return attrgetter(*(f.attname for f in self.fields))

    def record(self, **values: Any) -> SimpleNamespace:
        """A row being checked: the model's columns with their defaults, as a plain object
        (a model instance costs more to build than the whole check of a row)."""
        if not hasattr(self, "_defaults"):
            self._defaults = {f.attname: f.get_default() for f in self.fields}
        return SimpleNamespace(**{**self._defaults, **values})

    def values(self, obj: Any) -> tuple:
        return self._getter(obj)

    def insert(self, rows: list[tuple], actor: Any) -> int:
        """Insert converted rows with their history rows (the sender, "+", the import reason)."""
        if not rows:
            return 0
        if connection.vendor != "postgresql":
            objs = [self.model(**dict(zip((f.attname for f in self.fields), row, strict=True)))
                    for row in rows]  # fmt: skip
            bulk_create_with_history(
                objs, self.model, batch_size=CHUNK, default_user=actor,
                default_change_reason=str(REASON),
            )  # fmt: skip
            return len(objs)
        # PostgreSQL: COPY the rows, then write their history rows in one INSERT … SELECT.
        table = self.model._meta.db_table
        columns = [f.column for f in self.fields]
        history = self.model.history.model._meta.db_table
        where, params = self.key_filter(rows)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO {history} (id, {', '.join(columns)}, history_date, "
                "history_change_reason, history_type, history_user_id) "
                f"SELECT id, {', '.join(columns)}, %s, %s, '+', %s FROM {table} WHERE {where}",
                [timezone.now(), str(REASON), getattr(actor, "pk", None), *params],
            )
        return len(rows)

    def new_rows(self, chunk: list[tuple[int, dict]]) -> list[Any]:
        """The chunk's rows that are not yet in the register (unchanged ones are counted)."""
        parsed = self.parse(chunk)
        keys = [getattr(obj, self.key_field) for _n, obj in parsed]
        existing = self.existing(keys)
        assert self.seen is not None, "run_import opens the keys met before any chunk"
        met = self.seen.met_before(keys)
        fresh = []
        for number, obj in parsed:
            key = getattr(obj, self.key_field)
            if key in met:
                self.error(number, self.key_field, _("This appears twice in the file."))
                continue
            met.add(key)
            old = existing.get(key)
            if old is None:
                fresh.append(obj)
            elif self.same(obj, old):
                self.outcome.rows_unchanged += 1
            else:
                self.error(
                    number,
                    self.key_field,
                    _("Already recorded with other values: correct it on its page."),
                )
        return fresh


class DeliveryParser(_Parser):
    columns = DELIVERY_COLUMNS
    model = ServiceDelivery
    key_field = "reference"
    COMPARED = (
        "company_id", "offering_id", "category", "title", "started_on", "ended_on",
        "amount_invoiced", "funding", "task_force_project", "satisfaction",
    )  # fmt: skip

    def __init__(self, cti, outcome: Outcome):
        super().__init__(cti, outcome)
        self.categories = choice_map(ServiceCategory.choices)
        self.funding = choice_map(
            Funding.choices,
            {"payant": Funding.PAID, "interet general": Funding.GENERAL_INTEREST,
             "ig": Funding.GENERAL_INTEREST},
        )  # fmt: skip
        self.offerings = {
            o.code: o
            for o in ServiceOffering.objects.filter(cti=cti).only("pk", "code", "category")
        }

    def parse(self, chunk):
        # A registered company's ICE was checked when it was registered: rows that name one need
        # no second check; the others are checked only to say what is wrong with them.
        typed = {number: _ice_cell(cells.get("ice")) for number, cells in chunk}
        keys = {n: t if len(t) == 15 and t.isdigit() else ice_check(t)[0] for n, t in typed.items()}
        companies = dict(
            Company.objects.filter(ice__any=set(keys.values())).values_list("ice", "pk")
        )
        parsed = []
        outcome, error = self.outcome, self.error
        for number, cells in chunk:
            errors_before = outcome.error_count
            get = cells.get
            reference = self.required(number, cells, "reference")[:50]
            company_id = companies.get(keys[number])
            if company_id is None:
                self._unknown_company(number, typed[number])
            started_on = self._date(number, get("started_on"), "started_on", required=True)
            ended_on = self._date(number, get("ended_on"), "ended_on")
            if started_on and ended_on and ended_on < started_on:
                error(number, "ended_on", _("The end date is before the start date."))
            offering_id, category = self._category(number, cells)
            amount = self._amount(number, get("amount_invoiced"))
            funding = cell_text(get("funding"))
            funding = choice_lookup(self.funding, funding) if funding else Funding.PAID
            if not funding:
                error(number, "funding", _("Write “paid” or “general interest”."))
            satisfaction = self._satisfaction(number, get("satisfaction"))
            if outcome.error_count == errors_before:
                parsed.append((number, self.record(
                    cti_id=self.cti.pk, reference=reference, company_id=company_id,
                    offering_id=offering_id, category=category,
                    title=cell_text(get("title"))[:255], started_on=started_on,
                    ended_on=ended_on, amount_invoiced=amount, funding=funding,
                    task_force_project=cell_text(get("task_force_project"))[:50],
                    satisfaction=satisfaction,
                )))  # fmt: skip
        return parsed

    def _unknown_company(self, number: int, typed: str) -> None:
        if not typed:
            self.error(number, "ice", _("This column is required."))
            return
        _ice, problem = ice_check(typed)
        self.error(
            number, "ice",
            ice_message(problem) if problem else _("No company is registered with this ICE."),
        )  # fmt: skip

    def _date(self, number: int, value: Any, key: str, required: bool = False):
        try:
            day = cell_date(value)
        except ValueError:
            self.error(number, key, _("“%(text)s” is not a date (dd/mm/yyyy).") % {"text": value})
            return None
        if day is None and required:
            self.error(number, key, _("This column is required."))
        return day

    def _amount(self, number: int, value: Any) -> Decimal | None:
        try:
            amount = cell_decimal(value)
            amount = to_mad(amount) if amount is not None else Decimal(0)
            if amount < 0:
                self.error(number, "amount_invoiced", _("An amount cannot be negative."))
            elif amount >= MAX_AMOUNT:
                self.error(number, "amount_invoiced", _("This amount is too large."))
        except (ValueError, ArithmeticError):
            self.error(
                number, "amount_invoiced", _("“%(text)s” is not a number.") % {"text": value}
            )
            return None
        return amount

    def _category(self, number: int, cells: dict) -> tuple[int | None, str]:
        """(offering id, category): a catalogue code gives both, else a category by name."""
        code = cell_text(cells.get("offering"))
        if code:
            offering = self.offerings.get(code)
            if offering is None:
                self.error(number, "offering", _("This CTI's catalogue has no such code."))
                return None, ""
            return offering.pk, offering.category
        category = cell_text(cells.get("category"))
        found = choice_lookup(self.categories, category)
        if not found:
            self.error(
                number, "category",
                _("Give a catalogue code or a category (e.g. “training”).") if not category
                else _("“%(text)s” is not a category.") % {"text": category},
            )  # fmt: skip
        return None, found

    def _satisfaction(self, number: int, value: Any) -> int | None:
        try:
            score = cell_decimal(value)
        except ValueError:
            score = Decimal(-1)
        if score is None:
            return None
        if score != score.to_integral_value() or not 1 <= score <= 5:
            self.error(number, "satisfaction", _("A satisfaction score is a whole number, 1 to 5."))
            return None
        return int(score)

    def key_filter(self, rows):
        position = [f.name for f in self.fields].index("reference")
        return "cti_id = %s AND reference = ANY(%s)", [self.cti.pk, [r[position] for r in rows]]

    def existing(self, keys):
        return {
            d.reference: d
            for d in ServiceDelivery.objects.filter(cti=self.cti, reference__any=keys).only(
                "reference", *self.COMPARED
            )
        }

    def same(self, new, old):
        return all(getattr(new, f) == getattr(old, f) for f in self.COMPARED)


class CompanyParser(_Parser):
    columns = COMPANY_COLUMNS
    model = Company
    key_field = "ice"

    def __init__(self, cti, outcome: Outcome):
        super().__init__(cti, outcome)
        self.sizes = choice_map(SizeClass.choices)
        self.forms = choice_map(LegalForm.choices)
        self.regions = choice_map(Region.choices)
        for code, _label in Region.choices:
            self.regions[str(int(code))] = code  # "6" typed for "06"

    def parse(self, chunk):
        parsed = []
        for number, cells in chunk:
            errors_before = self.outcome.error_count
            company = Company(registered_by_id=self.cti.pk)
            ice_text = self.required(number, cells, "ice") and _ice_cell(cells["ice"])
            if ice_text:
                company.ice, problem = ice_check(ice_text)
                if problem == IceProblem.CHECKSUM:
                    self.error(
                        number, "ice",
                        _("The control digits of this ICE are wrong: an officer may register it "
                          "on the company page, with a reason."),
                    )  # fmt: skip
                elif problem:
                    self.error(number, "ice", ice_message(problem))
            company.name = self.required(number, cells, "name")[:255]
            company.name_ar = cell_text(cells.get("name_ar"))[:255]
            for key, mapping, required in (
                ("size_class", self.sizes, True),
                ("region", self.regions, True),
                ("legal_form", self.forms, False),
            ):
                text = cell_text(cells.get(key))
                value = mapping.get(header_key(text), "")
                if (text or required) and not value:
                    self.error(number, key, _("“%(text)s” is not one of the accepted values.")
                               % {"text": text})  # fmt: skip
                setattr(company, key, value)
            company.sector = cell_text(cells.get("sector"))[:255]
            company.city = cell_text(cells.get("city"))[:100]
            if self.outcome.error_count == errors_before:
                parsed.append((number, company))
        return parsed

    def key_filter(self, rows):
        position = [f.name for f in self.fields].index("ice")
        return "ice = ANY(%s)", [[r[position] for r in rows]]

    def existing(self, keys):
        return {c.ice: c for c in Company.objects.filter(ice__any=keys).only("ice")}

    def same(self, new, old):
        return True  # a registered company is not overwritten by an import: nothing to add


class SeenKeys:
    """The natural keys met so far in a file, kept in a temporary SQLite file rather than in
    memory (its page cache is bounded): memory stays flat whatever the file's length, and the
    look-ups stay local, whatever database the register lives in."""

    def __enter__(self) -> "SeenKeys":
        self.file = tempfile.NamedTemporaryFile(suffix=".sqlite3")
        self.db = sqlite3.connect(self.file.name)
        # A scratch file: no journal, no sync, a page cache of 2 MiB at most; it is deleted
        # when the import ends.
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.execute("PRAGMA cache_size = -2048")
        self.db.execute("CREATE TABLE seen (key TEXT PRIMARY KEY) WITHOUT ROWID")
        return self

    def __exit__(self, *_exc) -> None:
        self.db.close()
        self.file.close()

    def met_before(self, keys: list[str]) -> set[str]:
        """Which of a chunk's keys earlier chunks had; the chunk's keys are then recorded."""
        distinct = list({str(key) for key in keys})
        met: set[str] = set()
        for start in range(0, len(distinct), 500):  # old SQLite builds take 999 parameters
            batch = distinct[start : start + 500]
            marks = ", ".join("?" * len(batch))
            query = f"SELECT key FROM seen WHERE key IN ({marks})"
            met.update(key for (key,) in self.db.execute(query, batch))
        self.db.executemany("INSERT INTO seen VALUES (?)", [(k,) for k in distinct if k not in met])
        return met


PARSERS: dict[str, type[_Parser]] = {
    ImportKind.DELIVERIES: DeliveryParser,
    ImportKind.COMPANIES: CompanyParser,
}


def run_import(
    *,
    kind: str,
    upload: Any,
    cti: Any,
    actor: Any,
    progress: Callable[[int], None] | None = None,
) -> Outcome:
    """Check the whole file, then save all its new rows or none (see the module docstring).

    The first pass spools the new rows, already converted, to a temporary file (disk, not
    memory); the second pass writes them from there without reading the upload again."""
    outcome = Outcome()
    parser = PARSERS[kind](cti, outcome)
    with tempfile.TemporaryFile() as spool, SeenKeys() as parser.seen:
        for chunk in _chunks(upload, parser.columns):
            outcome.rows_read += len(chunk)
            fresh = parser.new_rows(chunk)
            if not outcome.error_count:
                pickle.dump([parser.values(obj) for obj in fresh], spool)
            if progress:
                progress(outcome.rows_read)
        if outcome.error_count:
            outcome.rows_unchanged = 0
            return outcome
        spool.seek(0)
        try:
            with transaction.atomic():
                while True:
                    try:
                        rows = pickle.load(spool)
                    except EOFError:
                        break
                    outcome.rows_created += parser.insert(rows, actor)
        except IntegrityError:
            outcome.rows_created = outcome.rows_unchanged = 0
            outcome.add_error(
                0, "", _("The register changed while the file was imported: send it again.")
            )
    return outcome


EXAMPLE_ICE = "001561191000066"  # the companies template's example company


def template_rows(kind: str, user: Any) -> list[list[Any]]:
    """The header (in the user's language) and one example line that imports as it is: the
    deliveries example names a company the user's register already has (or the companies
    template's example company, for a register still empty)."""
    header = [str(c.label) for c in COLUMNS[kind]]
    if kind == ImportKind.DELIVERIES:
        ice = (
            Company.objects.visible_to(user).order_by("pk").values_list("ice", flat=True).first()
            or EXAMPLE_ICE
        )
        example = ["PR-2025-0001", ice, "31/01/2025", "15/02/2025", "training", "",
                   "Formation injection plastique", "12 500,00", "paid", "", "5"]  # fmt: skip
    else:
        example = [EXAMPLE_ICE, "Entreprise exemple SARL", "شركة مثال", "SARL", "PME",
                   "Plasturgie", "06", "Casablanca"]  # fmt: skip
    return [header, example]


# --- the import's life: run by a worker, ended if its worker dies --------------------------


def service_import_run(*, import_id: int, notify: bool = False) -> ServiceImport:
    """Run a kept import as its sender: every row checked, then all saved or none. Progress is
    written as the file is read, so the page polling it moves."""
    job = ServiceImport.objects.select_related("cti", "created_by").get(pk=import_id)
    # Claimed in one statement: a task delivered twice runs the file once.
    claimed = ServiceImport.objects.filter(pk=job.pk, status=ImportStatus.PENDING).update(
        status=ImportStatus.RUNNING, heartbeat_at=timezone.now()
    )
    if not claimed:
        return job

    def progress(rows: int) -> None:
        ServiceImport.objects.filter(pk=job.pk).update(rows_read=rows, heartbeat_at=timezone.now())

    sender = job.created_by
    # The report is read by the sender: in their language, even when a worker writes it.
    with translation.override(sender.preferred_language), acting_as(sender):
        try:
            with job.file.open("rb") as handle:
                handle.name = job.file.name
                outcome = run_import(
                    kind=job.kind, upload=handle, cti=job.cti, actor=sender, progress=progress
                )
        except ServiceError as exc:  # the whole file is unreadable (format, encoding)
            if not notify:
                raise  # during the request: said on the upload form, nothing kept
            outcome = Outcome()
            for texts in (exc.field_errors or {"": [exc.message]}).values():
                for text in texts:
                    outcome.add_error(0, "", text)
        except DatabaseError:  # a value the database refused despite the checks: nothing saved
            outcome = Outcome()
            outcome.add_error(
                0, "", _("The register refused a value of this file: nothing was saved.")
            )
        except (OSError, sqlite3.Error):  # the server's scratch files (disk full): nothing saved
            logger.exception("import %s could not run", job.pk)
            outcome = Outcome()
            outcome.add_error(
                0, "", _("The server could not process this file now: nothing was saved.")
            )
    job.status = ImportStatus.FAILED if outcome.error_count else ImportStatus.DONE
    job.rows_read, job.rows_created = outcome.rows_read, outcome.rows_created
    job.rows_unchanged, job.errors = outcome.rows_unchanged, outcome.errors or []
    job.error_count = outcome.error_count
    job.finished_at = timezone.now()
    # Saved only if it still runs: a sweep may have ended it as abandoned meanwhile, and its
    # sender has been told so.
    ended = ServiceImport.objects.filter(pk=job.pk, status=ImportStatus.RUNNING).update(
        **{f: getattr(job, f) for f in _OUTCOME_FIELDS}
    )
    if ended and job.status == ImportStatus.FAILED:
        _discard_file(job)
    if notify and ended:
        _notify(job)
    return job


def _discard_file(job: ServiceImport) -> None:
    """A refused import saved nothing: its stored copy goes (the sender has the file; the row
    keeps its name, size and SHA-256), so refused and hostile uploads do not pile up."""
    if job.file.name:
        job.file.storage.delete(job.file.name)
        ServiceImport.objects.filter(pk=job.pk).update(file="")


_OUTCOME_FIELDS = ("status", "rows_read", "rows_created", "rows_unchanged", "errors",
                   "error_count", "finished_at")  # fmt: skip


def service_import_abandon(*, import_id: int) -> bool:
    """End an import whose worker died as failed, nothing saved (its save pass is one
    transaction, so a dead worker wrote nothing), and tell its sender. False if it had ended."""
    job = ServiceImport.objects.select_related("created_by").get(pk=import_id)
    with translation.override(job.created_by.preferred_language):
        message = _(
            "The server stopped while importing this file: nothing was saved. Send it again."
        )
    ended = ServiceImport.objects.filter(pk=job.pk, status=ImportStatus.RUNNING).update(
        status=ImportStatus.FAILED, error_count=1, finished_at=timezone.now(),
        errors=[{"row": 0, "column": "", "message": message}],
    )  # fmt: skip
    if ended:
        job.refresh_from_db()
        logger.warning("import %s abandoned by its worker: ended failed", job.pk)
        _discard_file(job)
        _notify(job)
    return bool(ended)


def service_imports_sweep(*, cutoff, import_id: int | None = None) -> int:
    """End the running imports silent since `cutoff` (all, or the one a page shows)."""
    running = ServiceImport.objects.filter(status=ImportStatus.RUNNING)
    return jobs.end_silent(running, cutoff=cutoff, pk=import_id,
                           end=lambda pk: service_import_abandon(import_id=pk))  # fmt: skip


def _notify(job: ServiceImport) -> None:
    from django.conf import settings
    from django.core.mail import send_mail

    user = job.created_by
    with translation.override(user.preferred_language):
        if job.status == ImportStatus.DONE:
            subject = _("Import done: %(added)s rows added") % {"added": job.rows_created}
        else:
            subject = _("Import refused: %(count)s errors") % {"count": job.error_count}
        body = _("See the details: %(link)s") % {
            "link": settings.SITE_URL.rstrip("/") + job.get_absolute_url()
        }
    send_mail(subject, body, None, [user.email])
