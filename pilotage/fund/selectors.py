"""Reads of the FACET ledger: the budget overview (plan → axes → CTIs → years) and its projection.

Every figure is summed from the journal itself (not from the lines' running totals), so the
overview is by construction what a plain SQL sum of the entries says. A CTI user gets the plan's
totals and the detail of the lines they may see (their own CTI), never another CTI's lines.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotage.core.numbers import id_param
from pilotage.fund.models import Allocation, Entry, EntryKind
from pilotage.programmes.models import Programme

ZERO = Decimal(0)


@dataclass
class Figures:
    allocated: Decimal = ZERO
    committed: Decimal = ZERO
    disbursed: Decimal = ZERO
    envelope: Decimal | None = None

    def add(self, other: "Figures") -> None:
        self.allocated += other.allocated
        self.committed += other.committed
        self.disbursed += other.disbursed

    @property
    def headroom(self) -> Decimal:
        """Allocated but not yet committed."""
        return self.allocated - self.committed

    @property
    def unallocated(self) -> Decimal | None:
        return None if self.envelope is None else self.envelope - self.allocated

    @property
    def commitment_rate(self) -> Decimal | None:
        return _rate(self.committed, self.allocated)

    @property
    def execution_rate(self) -> Decimal | None:
        """Paid out of what was allocated."""
        return _rate(self.disbursed, self.allocated)


def _rate(part: Decimal, whole: Decimal | None) -> Decimal | None:
    return None if not whole else part / whole


@dataclass(frozen=True)
class Projection:
    """Where the payments will stand at the plan's end if they keep the pace seen so far."""

    projected: Decimal
    share: Decimal | None  # of the envelope
    end: datetime.date
    finished: bool  # the plan is over: the figure is the actual one


@dataclass
class Node:
    level: str  # programme | axis | cti | year
    label: str
    figures: Figures
    filters: dict[str, int] = field(default_factory=dict)  # drill-down to the journal
    children: list["Node"] = field(default_factory=list)
    projection: Projection | None = None
    depth: int = 0
    detail: str = ""  # the axis title under its short label
    partial: bool = False  # some lines are hidden from this user: below the plan, their share only

    @property
    def projected_disbursed(self) -> Decimal | None:
        return self.projection.projected if self.projection else None

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def _months_between(start: datetime.date, end: datetime.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def time_elapsed(programme: Programme, day: datetime.date) -> Decimal:
    """Share of the plan's days gone by at the end of `day` (0 before it starts, 1 after it ends):
    what the paid share is read against."""
    start = datetime.date(programme.start_year, 1, 1)
    end = datetime.date(programme.end_year, 12, 31)
    gone = min(max((day - start).days + 1, 0), (end - start).days + 1)
    return Decimal(gone) / Decimal((end - start).days + 1)


def projection_of(
    figures: Figures, programme: Programme, as_of: datetime.date
) -> Projection | None:
    """Linear burn rate: payments so far ÷ months elapsed, carried to the plan's last month."""
    start = datetime.date(programme.start_year, 1, 1)
    end = datetime.date(programme.end_year, 12, 31)
    if as_of < start:
        return None
    if as_of >= end:
        projected, finished = figures.disbursed, True
    else:
        elapsed = _months_between(start, as_of)
        total = _months_between(start, end)
        projected, finished = figures.disbursed * total / elapsed, False
    return Projection(projected, _rate(projected, figures.envelope), end, finished)


def line_figures(
    programme: Programme, as_of: datetime.date, known_by: datetime.datetime | None = None
) -> dict[int, Figures]:
    """Allocated / committed / disbursed per allocation line, summed from the journal (two queries):
    the entries dated by `as_of` and, given `known_by`, recorded before it (what a report as of
    that date knew: an entry back-dated later does not change it)."""
    entries = Entry.objects.filter(allocation__programme=programme, entry_date__lte=as_of)
    if known_by is not None:
        entries = entries.filter(recorded_at__lt=known_by)
    figures: dict[int, Figures] = defaultdict(Figures)
    for row in entries.values("allocation_id", "kind").annotate(total=Sum("amount")):
        line = figures[row["allocation_id"]]
        if row["kind"] == EntryKind.ALLOCATION:
            line.allocated += row["total"]
        elif row["kind"] == EntryKind.REALLOCATION:
            line.allocated -= row["total"]  # the money left this line
        elif row["kind"] == EntryKind.COMMITMENT:
            line.committed += row["total"]
        else:
            line.disbursed += row["total"]
    incoming = (
        entries.filter(kind=EntryKind.REALLOCATION)
        .values("target_id")
        .annotate(total=Sum("amount"))
    )
    for row in incoming:
        figures[row["target_id"]].allocated += row["total"]
    return figures


def budget_overview(user, programme: Programme, as_of: datetime.date | None = None) -> Node:
    """The plan's tree with figures at every level; the lines the user may not see are counted in
    the plan's total only."""
    as_of = as_of or timezone.localdate()
    figures = line_figures(programme, as_of)
    visible = set(
        Allocation.objects.visible_to(user).filter(programme=programme).values_list("pk", flat=True)
    )
    # Plain tuples, not model instances: at national scale there are thousands of lines.
    lines = (
        Allocation.objects.filter(programme=programme)
        .order_by("axis__number", "cti__acronym", "year")
        .values_list("pk", "axis_id", "cti_id", "cti__acronym", "year")
    )
    root = Node(
        "programme",
        programme.title,
        Figures(envelope=programme.envelope),
        {"programme": programme.pk},
    )
    axes = {
        axis.pk: Node(
            "axis",
            _("Axis %(number)s") % {"number": axis.number},
            Figures(envelope=axis.envelope),
            {"programme": programme.pk, "axis": axis.pk},
            depth=1,
            detail=axis.title,
        )
        for axis in programme.axes.all()
    }
    ctis: dict[tuple[int, int], Node] = {}
    for pk, axis_id, cti_id, acronym, year in lines:
        line_total = figures.get(pk, Figures())
        root.figures.add(line_total)
        if pk not in visible:
            root.partial = True
            continue
        axis_node = axes[axis_id]
        axis_node.figures.add(line_total)
        key = (axis_id, cti_id)
        if key not in ctis:
            ctis[key] = Node(
                "cti", acronym, Figures(), {**axis_node.filters, "cti": cti_id}, depth=2
            )
            axis_node.children.append(ctis[key])
        ctis[key].figures.add(line_total)
        ctis[key].children.append(
            Node(
                "year",
                str(year),
                line_total,
                {**ctis[key].filters, "year": year, "allocation": pk},
                depth=3,
            )
        )
    root.children = list(axes.values())
    if root.partial:
        # The axis envelopes are shared with CTIs the user may not see: no headroom to show there.
        for axis_node in root.children:
            axis_node.figures.envelope = None
    for node in [root, *root.children]:
        node.projection = projection_of(node.figures, programme, as_of)
    return root


def journal_totals(queryset) -> dict[str, Decimal]:
    """Σ amount per kind of a (filtered) journal: the totals row of the journal page."""
    rows = queryset.order_by().values("kind").annotate(total=Sum("amount"))
    return {row["kind"]: row["total"] for row in rows}


def touching(*, axis=None, cti=None, year=None, allocation=None) -> Q:
    """Entries that post to, or (a reallocation) feed, the lines matching these filters."""
    condition = Q()
    for side in ("allocation", "target"):
        part = Q()
        if allocation:
            part &= Q(**{f"{side}": allocation})
        if axis:
            part &= Q(**{f"{side}__axis": axis})
        if cti:
            part &= Q(**{f"{side}__cti": cti})
        if year:
            part &= Q(**{f"{side}__year": year})
        condition = part if side == "allocation" else condition | part
    return condition


PICKER_LIMIT = 50


def allocations_matching(user: Any, text: str) -> list[Allocation]:
    """Allocation lines the user may see whose CTI, axis number or year match every typed word
    (`ctpc 2 2024`), most recent first; at most PICKER_LIMIT."""
    lines = Allocation.objects.visible_to(user).select_related("cti", "axis")
    for word in text.split()[:5]:
        match = Q(cti__acronym__icontains=word)
        if id_param(word) is not None and len(word) <= 4:
            match |= Q(axis__number=int(word)) if len(word) <= 2 else Q(year=int(word))
        lines = lines.filter(match)
    return list(lines.order_by("-year", "cti__acronym", "axis__number")[:PICKER_LIMIT])


def tranche_paid(tranche) -> Decimal:
    """What the ledger has paid on a performance-linked tranche, whichever computation each
    payment cited."""
    paid = Entry.objects.filter(tranche_computation__tranche=tranche).aggregate(total=Sum("amount"))
    return paid["total"] or ZERO
