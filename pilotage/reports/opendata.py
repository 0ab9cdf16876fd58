"""Open data: the published editions' figures as tables (CSV and JSON) described by a Frictionless
Data Package (datapackage.json: schema, licence, sources). Only published editions are ever
served, from the figures frozen at publication, at a stable URL per edition."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.urls import reverse

from pilotage.core.exports import data_csv
from pilotage.reports.models import ReportEdition
from pilotage.reports.selectors import COUNT, DATE, FLAG, MONEY, RATE, YEAR

# Frictionless field types of the figures' column kinds.
FIELD_TYPES = {MONEY: "number", RATE: "number", COUNT: "integer", YEAR: "integer",
               FLAG: "boolean", DATE: "date"}  # fmt: skip


@dataclass(frozen=True)
class Dataset:
    """One table of the open data: where it is in the figures, and which rows may go out."""

    name: str
    section: str
    table: str
    title: str
    description: str
    keep: Callable[[dict[str, Any]], bool] = lambda row: True
    drop: tuple[str, ...] = ()  # columns that do not go out


DATASETS = [
    Dataset("execution-by-line", "money", "by_line", "FACET execution by axis, CTI and year",
            "Allocated, committed and paid (MAD) on each allocation line, as of the edition's date."),
    Dataset("execution-by-axis", "money", "by_axis", "FACET execution by strategic axis",
            "Envelope, allocated, committed, paid and headroom (MAD) by axis."),
    Dataset("execution-by-year", "money", "by_year", "FACET execution by year",
            "Allocated, committed and paid (MAD) by year of allocation."),
    Dataset("kpi-values", "kpis", "achievement", "Validated KPI values against targets",
            "The indicators the ministry publishes: target, validated value, achievement (%).",
            keep=lambda row: bool(row.get("public")), drop=("public",)),
    Dataset("services-by-region", "services", "by_region", "Services to companies by region",
            "Services delivered, companies served, SMEs among them and revenue (MAD), by the "
            "region of the company (codes 01-12, ISO 3166-2 MA-01..MA-12)."),
    Dataset("services-by-category", "services", "by_category",
            "Services to companies by category", "The same figures by category of service."),
    Dataset("catalogue", "registers", "catalogue", "Catalogue of CTI services",
            "The services the CTIs offer to companies, as published in the public catalogue."),
    Dataset("certificates-valid", "registers", "certificates", "Register of valid certificates",
            "Certificates of conformity issued by the CTIs and valid at the edition's date."),
    Dataset("standards", "registers", "standards", "NM standards pipeline",
            "The NM standards the CTIs draft or review with IMANOR, by stage (public enquiry "
            "dates, publication)."),
]  # fmt: skip


def published_editions() -> Any:
    """The editions anyone may read: the access rule's public rows (the published ones)."""
    return (
        ReportEdition.objects.visible_to(None)
        .select_related("programme", "cti", "superseded_by")
        .prefetch_related("files")
        .order_by("-published_at")
    )


def datasets_of(edition: ReportEdition) -> list[Dataset]:
    sections = (edition.figures or {}).get("sections", {})
    return [d for d in DATASETS if d.table in sections.get(d.section, {})]


def dataset(edition: ReportEdition, name: str) -> Dataset | None:
    return next((d for d in datasets_of(edition) if d.name == name), None)


def _table(edition: ReportEdition, data: Dataset) -> dict[str, Any]:
    figures: dict[str, Any] = edition.figures or {}
    return figures["sections"][data.section][data.table]


def _columns(edition: ReportEdition, data: Dataset) -> list[tuple[str, str]]:
    tab = _table(edition, data)
    return [(key, kind) for key, kind in tab["columns"] if key not in data.drop]


def records(edition: ReportEdition, data: Dataset) -> list[dict[str, Any]]:
    """The dataset's rows as published: numbers as numbers, nothing the ministry keeps back."""
    tab = _table(edition, data)
    keys = [key for key, _kind in tab["columns"]]
    kinds = dict(_columns(edition, data))
    rows = []
    for values in tab["rows"]:
        row = dict(zip(keys, values, strict=True))
        if not data.keep(row):
            continue
        rows.append({key: _typed(row[key], kind) for key, kind in kinds.items()})
    return rows


def _typed(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind in (MONEY, RATE):
        number = float(value)
        return int(number) if number.is_integer() else number
    return value


def as_csv(edition: ReportEdition, data: Dataset) -> str:
    columns = [key for key, _kind in _columns(edition, data)]
    return data_csv(columns, ([row[c] for c in columns] for row in records(edition, data)))


def as_json(edition: ReportEdition, data: Dataset) -> str:
    return json.dumps(records(edition, data), ensure_ascii=False, indent=1)


def package_name(edition: ReportEdition) -> str:
    scope = (edition.cti.acronym if edition.cti else edition.programme.code).lower()
    return f"pilotage-cti-{edition.kind.replace('_', '-')}-{scope}-{edition.as_of.isoformat()}"


def datapackage(edition: ReportEdition) -> dict[str, Any]:
    """The edition's Frictionless Data Package descriptor (resources relative to it)."""
    site = settings.SITE_URL.rstrip("/")
    published_at = edition.published_at
    assert published_at is not None, "only a published edition is open data"
    resources = []
    for data in datasets_of(edition):
        fields = [
            {"name": key, "type": FIELD_TYPES.get(kind, "string")}
            for key, kind in _columns(edition, data)
        ]
        resources.append(
            {
                "name": data.name,
                "path": f"{data.name}.csv",
                "title": data.title,
                "description": data.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "schema": {"fields": fields},
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": package_name(edition),
        "title": str(edition),
        "description": (
            f"Figures as of {edition.as_of.isoformat()}, published on "
            f"{published_at.date().isoformat()}; SHA-256 of the published figures: "
            f"{edition.figures_sha256}."
        ),
        "version": str(edition.pk),
        "created": published_at.isoformat(),
        "homepage": site + reverse("reports:open_data"),
        "licenses": [settings.OPEN_DATA_LICENCE],
        "sources": [
            {
                "title": "Pilotage CTI — Ministry of Industry and Commerce (Morocco)",
                "path": f"{site}{reverse('reports:open_data')}#edition-{edition.pk}",
            }
        ],
        "resources": resources,
    }
