"""Demo results framework: the plan's public global objectives (+165 % companies served, about
+100 % staff, +156 % revenue) and, for each contrat-objectifs, 8 indicators with yearly targets
and values in every workflow status. Every per-CTI figure is INVENTED (seeded, reproducible)."""

import datetime
import random
from decimal import Decimal

from pilotage.core.audit import stamp
from pilotage.core.models import Organisation, User
from pilotage.programmes.models import Agreement, Programme
from pilotage.results.models import (
    EventKind,
    Indicator,
    Measurement,
    MeasurementEvent,
    MeasurementStatus,
    Objective,
    ReportingPeriod,
    Target,
)

REASON = "Demo data (manage.py load_demo) — invented figures"
YEARS = (2023, 2024, 2025)
GLOBAL_OBJECTIVES = [
    ("OG-1", "Augmenter de 165 % le nombre d'entreprises servies par les CTI"),
    ("OG-2", "Doubler environ les effectifs des CTI (+100 %)"),
    ("OG-3", "Augmenter de 156 % le chiffre d'affaires des CTI"),
]
# Specific objectives of each contract, one per strategic axis: (axis, global objective, title).
AXIS_OBJECTIVES = {
    1: ("OG-1", "Accompagner les projets de la Task Force et servir plus d'entreprises"),
    2: ("OG-1", "Certifier et valider davantage de produits"),
    3: ("OG-1", "Contribuer à l'élaboration des normes"),
    4: ("OG-3", "Développer de nouvelles activités et le chiffre d'affaires"),
    5: ("OG-2", "Renforcer les compétences et l'encadrement"),
}
# code, name, unit, kind, aggregation, axis, base (per CTI, invented), yearly growth
INDICATORS = [
    ("ENT", "Entreprises servies (ICE distincts)", "entreprises", "count", "sum", 1, 120, 0.35),
    ("PME", "dont PME", "entreprises", "count", "sum", 1, 80, 0.35),
    ("CA", "Chiffre d'affaires", "MAD", "money", "sum", 4, 6_000_000, 0.30),
    ("EFF", "Effectif", "personnes", "count", "cumulative_latest", 5, 40, 0.20),
    ("ENC", "Taux d'encadrement (cadres et ingénieurs / effectif)", "%", "percentage",
     "cumulative_latest", 5, 0, 0),
    ("CERT", "Certificats délivrés", "certificats", "count", "sum", 2, 25, 0.25),
    ("NORM", "Projets de normes élaborés", "normes", "count", "sum", 3, 4, 0.20),
    ("FORM", "Heures de formation dispensées", "heures", "count", "sum", 5, 900, 0.25),
]  # fmt: skip


def _save(obj, actor: User):
    stamp(obj, actor=actor, reason=REASON)
    obj.save()
    return obj


def load(actor: User) -> None:
    plan = Programme.objects.get(code="PDCTI-2022-2025")
    if Objective.objects.filter(programme=plan).exists():
        return  # already loaded: the demo never duplicates or overwrites
    globals_ = {
        code: _save(Objective(programme=plan, code=code, title=title), actor)
        for code, title in GLOBAL_OBJECTIVES
    }
    periods = {
        year: _save(
            ReportingPeriod(
                programme=plan,
                year=year,
                opens_on=datetime.date(year + 1, 1, 1),
                # The 2025 window is still open (invented extension) so drafts can be shown.
                closes_on=datetime.date(year + 1, 12 if year == 2025 else 3, 31),
                is_open=year == 2025,
            ),
            actor,
        )
        for year in YEARS
    }
    officer = User.objects.filter(email="officer@ministere.example").first() or actor
    for position, contract in enumerate(
        Agreement.objects.filter(programme=plan, kind="contrat_objectifs").order_by("reference")
    ):
        cti = contract.parties.get(organisation__kind="cti").organisation
        _contract(contract, cti, globals_, periods, random.Random(position), actor, officer)


def _contract(contract, cti: Organisation, globals_, periods, rng, actor, officer) -> None:
    objectives = {
        number: _save(
            Objective(
                programme=contract.programme,
                agreement=contract,
                code=f"OS-{cti.acronym}-A{number}",
                title=title,
                parent=globals_[parent],
                axis=contract.programme.axes.get(number=number),
            ),
            actor,
        )
        for number, (parent, title) in AXIS_OBJECTIVES.items()
    }
    scale = Decimal(str(round(rng.uniform(0.6, 1.6), 2)))
    for code, name, unit, kind, aggregation, axis, base, growth in INDICATORS:
        objective = objectives[axis]
        indicator = _save(
            Indicator(
                objective=objective, code=code, name=name, unit=unit, kind=kind,
                aggregation=aggregation, definition=f"{name} — définition de démonstration.",
                numerator_label="Cadres et ingénieurs" if kind == "percentage" else "",
                denominator_label="Effectif total" if kind == "percentage" else "",
                means_of_verification="Registre des prestations, états financiers, attestations.",
                baseline_value=None if kind == "percentage" else Decimal(base) * scale,
                baseline_year=2022,
            ),
            actor,
        )  # fmt: skip
        for offset, year in enumerate(YEARS, start=1):
            target = Decimal(35 + 3 * offset) if kind == "percentage" else (
                Decimal(base) * scale * Decimal(str((1 + growth) ** offset))
            ).quantize(Decimal(1))  # fmt: skip
            _save(Target(indicator=indicator, year=year, value=target), actor)
            _measure(indicator, cti, periods[year], year, target, rng, actor, officer)


def _measure(indicator, cti, period, year, target, rng, actor, officer) -> None:
    """Past years validated (one returned, one submitted); 2025 in drafts; CERIC late for 2024."""
    if cti.acronym == "CERIC" and year >= 2024:
        return  # not started (2025) / overdue (2024)
    ratio = Decimal(str(round(rng.uniform(0.6, 1.15), 2)))
    measurement = Measurement(indicator=indicator, period=period, organisation=cti, target=None)
    if indicator.kind == "percentage":
        headcount = Decimal(rng.randint(30, 90))
        measurement.numerator = (headcount * target / 100 * ratio).quantize(Decimal(1))
        measurement.denominator = headcount
    else:
        measurement.value = (target * ratio).quantize(
            Decimal("0.01" if indicator.kind == "money" else "1")
        )
    status = MeasurementStatus.VALIDATED
    if year == 2025:
        status = MeasurementStatus.DRAFT
    elif year == 2024 and indicator.code == "CA" and cti.acronym == "CTPC":
        status = MeasurementStatus.RETURNED
        measurement.return_reason = "Joindre les états financiers certifiés."
    elif year == 2024 and indicator.code == "ENT" and cti.acronym == "CETIEV":
        status = MeasurementStatus.SUBMITTED
    measurement.status = status
    if status in (
        MeasurementStatus.SUBMITTED,
        MeasurementStatus.VALIDATED,
        MeasurementStatus.RETURNED,
    ):
        measurement.submitted_by = actor
        measurement.submitted_at = datetime.datetime(year + 1, 2, 15, tzinfo=datetime.UTC)
        measurement.target = Target.objects.get(indicator=indicator, year=year, amendment=None)
    if status == MeasurementStatus.VALIDATED:
        measurement.validated_by = officer
        measurement.validated_at = datetime.datetime(year + 1, 3, 20, tzinfo=datetime.UTC)
    _save(measurement, actor)
    MeasurementEvent.objects.create(
        measurement=measurement, kind=EventKind.SAVED, actor=actor, status_after=status,
        reason=REASON,
    )  # fmt: skip
