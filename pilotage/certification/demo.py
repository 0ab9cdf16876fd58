"""Demo capacity and validation work. Every laboratory, accreditation number, headcount, request
and test here is INVENTED (seeded, reproducible) and labelled so; the pandemic campaign follows the
public precedent (masks, ventilators, hospital beds validated by the CTIs in 2020).

Current requests are dated in the last weeks (outside the contracts' 2023-2025 reporting years,
so the computed KPIs the services demo tuned stay as they are); the campaign's are of 2020."""

import datetime
import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from pilotage.certification.models import (
    STAGE_DATE,
    Certificate,
    CertificateStatus,
    Decision,
    FastTrackCampaign,
    Laboratory,
    Purpose,
    RequestStage,
    StaffCount,
    TestResult,
    ValidationReport,
    ValidationRequest,
    Verdict,
)
from pilotage.core.audit import stamp
from pilotage.core.files import store_upload
from pilotage.core.models import Organisation, User
from pilotage.prestations.models import Company, Funding, ServiceDelivery

REASON = "Demo data (manage.py load_demo) — invented figures"
# The signed report every demo request carries: a one-line PDF that says what it is.
DEMO_REPORT = b"%PDF-1.4\n% Rapport d'essai fictif (demonstration)\n%%EOF\n"
SEED = 2020

# CTI → its laboratories: (name, domain, accredited tests or "" when not accredited).
LABORATORIES = {
    "CTPC": [("Laboratoire d'essais des plastiques", "Essais physico-mécaniques des polymères",
              "Traction (ISO 527)\nChoc Charpy (ISO 179)\nIndice de fluidité (ISO 1133)")],
    "CTTH": [("Laboratoire textile", "Essais des textiles techniques",
              "Efficacité de filtration (NM EN 149)\nRésistance respiratoire (NM EN 149)"),
             ("Plateforme confection", "Prototypage et confection", "")],
    "CERIMME": [("Laboratoire de métrologie", "Métrologie dimensionnelle et électrique",
                 "Étalonnage dimensionnel\nMesures électriques"),
                ("Plateforme dispositifs médicaux", "Essais des équipements électromédicaux", "")],
    "CETIEV": [("Laboratoire d'essais automobiles", "Essais des équipements pour véhicules",
                "Brouillard salin (ISO 9227)\nVibrations")],
    "CETEMCO": [("Laboratoire des matériaux", "Ciments, bétons, céramiques",
                 "Résistance à la compression (NM EN 196-1)")],
    "CMTC": [("Laboratoire cuir et chaussure", "Essais physico-chimiques du cuir", "")],
    "CTIBA": [("Laboratoire bois et ameublement", "Essais du mobilier",
               "Stabilité et résistance du mobilier (NM EN 12520)")],
    "CETIA": [("Laboratoire agroalimentaire", "Analyses microbiologiques et physico-chimiques",
               "Dénombrement des germes (NM ISO 4833)")],
    "CERIC": [("Laboratoire céréales et farines", "Qualité des blés et farines", "")],
}  # fmt: skip

# The pandemic's categories, with the CTI that validated each, its referential and its test.
PANDEMIC = [
    ("Masques de protection", "CTTH", "NM EN 149", "Efficacité de filtration", "%", "≥ 94"),
    ("Respirateurs", "CERIMME", "NM EN ISO 80601-2-12", "Précision du volume courant", "%", "± 10"),
    ("Lits d'hôpital", "CERIMME", "NM EN 60601-2-52", "Charge de travail sûre", "kg", "≥ 170"),
]


def _save(obj, actor: User):
    stamp(obj, actor=actor, reason=REASON)
    obj.save()
    return obj


def load(actor: User) -> None:
    if Laboratory.objects.exists():
        return
    rng = random.Random(SEED)
    ctis = {o.acronym: o for o in Organisation.objects.filter(acronym__in=LABORATORIES)}
    today = timezone.localdate()
    labs = _laboratories(ctis, today, actor)
    _staff(ctis, rng, actor)
    campaign = _save(
        FastTrackCampaign(
            code="URGENCE-COVID-2020",
            title="Validation accélérée des équipements de la pandémie (démo)",
            product_categories="\n".join(category for category, *_rest in PANDEMIC),
            opened_on=datetime.date(2020, 3, 20), closes_on=datetime.date(2021, 6, 30),
            decision_hours=72,
            description="Inspirée du précédent public de 2020 ; demandes et chiffres inventés.",
        ),
        actor,
    )  # fmt: skip
    companies = list(Company.objects.order_by("ice")[:60])
    number = 0
    for i, (category, acronym, referential, characteristic, unit, limit) in enumerate(PANDEMIC):
        for k in range(4):
            number += 1
            received = datetime.date(2020, 3, 25) + datetime.timedelta(days=9 * k + i)
            hours = rng.choice([30, 48, 60, 70, 90])  # one in five over the 72 hours
            _request(
                number, ctis[acronym], labs[acronym][-1], companies[number], received, "decided",
                category, referential, (characteristic, unit, limit), rng, actor,
                campaign=campaign, decided_after=hours, fails=k == 3,
            )  # fmt: skip
    # Today's inbox: requests at every stage, in the CTIs whose laboratories test products.
    stages = list(RequestStage)
    for k, acronym in enumerate(["CTPC", "CETIEV", "CETEMCO", "CTIBA", "CTPC", "CTTH", "CETIA"]):
        number += 1
        stage = stages[k % len(stages)]
        received = today - datetime.timedelta(days=20 - 2 * k)
        _request(
            number, ctis[acronym], labs[acronym][0], companies[number], received, stage,
            "Produit industriel", f"NM {10 + k}.1.00{k}", ("Résistance", "MPa", "≥ 20"), rng,
            actor,
        )  # fmt: skip
    _certificates(today, actor)


def _certificates(today: datetime.date, actor: User) -> None:
    """A certificate for each conforming decision: the pandemic's, of two years, have expired
    (some were given seven years: valid, one of them suspended); today's are valid."""
    conforming = ValidationRequest.objects.filter(decision=Decision.CONFORMING).select_related(
        "delivery__cti", "delivery__company"
    )
    for n, request in enumerate(conforming.order_by("pk")):
        assert request.decided_at is not None  # decided, by the filter
        issued = request.decided_at.date()
        years = 7 if n % 4 == 0 else 2
        status, changed, why = CertificateStatus.VALID, None, ""
        valid_until = issued.replace(year=issued.year + years)
        if valid_until < today:
            status, changed = CertificateStatus.EXPIRED, valid_until + datetime.timedelta(days=1)
            why = f"Validité échue le {valid_until:%d/%m/%Y} (démo)."
        elif n == 4:
            status, changed = CertificateStatus.SUSPENDED, today - datetime.timedelta(days=10)
            why = "Audit de surveillance : écart constaté sur un lot (démo, inventé)."
        _save(
            Certificate(
                cti=request.delivery.cti, request=request, holder=request.delivery.company,
                number=f"{request.delivery.cti.acronym}-{issued.year}-{n + 1:04d}",
                product=request.product, referential=request.referential,
                scope="Certificat de démonstration : produit et lot inventés.", issued_on=issued,
                valid_until=valid_until, status=status, status_changed_on=changed,
                status_reason=why, short_code=f"DEMO{n:04d}"[:8],
            ),
            actor,
        )  # fmt: skip


def _laboratories(ctis, today: datetime.date, actor: User) -> dict[str, list[Laboratory]]:
    """One accreditation expires in 45 days (flagged), one has expired; CTPC's since 2015."""
    labs: dict[str, list[Laboratory]] = {}
    for n, (acronym, entries) in enumerate(LABORATORIES.items()):
        for name, domain, scope in entries:
            until = None
            if scope:
                until = today + datetime.timedelta(days=400 + 30 * n)
                if acronym == "CETIEV":
                    until = today + datetime.timedelta(days=45)
                elif acronym == "CETEMCO":
                    until = today - datetime.timedelta(days=20)
            laboratory = Laboratory(
                cti=ctis[acronym], name=name, site="Sidi Maârouf, Casablanca", region="06",
                domain=domain, opened_on=datetime.date(2015 if acronym == "CTPC" else 2012 + n, 1, 15),
                accreditation_number=f"DEMO-L{n + 1:02d}-{len(labs.get(acronym, []))}"
                if scope else "",
                accreditation_scope=scope, accredited_until=until,
                equipment="Équipements inventés pour la démonstration",
            )  # fmt: skip
            labs.setdefault(acronym, []).append(_save(laboratory, actor))
    return labs


def _staff(ctis, rng: random.Random, actor: User) -> None:
    """Headcounts growing over the plan (the public aim is about +100 % staff)."""
    for cti in ctis.values():
        graduates, technicians = rng.randint(8, 20), rng.randint(12, 30)
        for year in (2022, 2023, 2024, 2025):
            _save(
                StaffCount(
                    cti=cti, year=year, graduates=graduates, technicians=technicians,
                    administrative=rng.randint(6, 12), note="Effectifs inventés (démo)",
                ),
                actor,
            )  # fmt: skip
            graduates += rng.randint(2, 6)
            technicians += rng.randint(1, 5)


def _request(
    number, cti, laboratory, company, received, stage, category, referential, test, rng, actor,
    campaign=None, decided_after=72, fails=False,
):  # fmt: skip
    """A request at `stage` with its delivery, its steps dated in order, and its tests."""
    reference = f"DEMO-VAL-{number:03d}"
    delivery = _save(
        ServiceDelivery(
            cti=cti, reference=reference, company=company, category=Purpose.VALIDATION,
            title=f"{category} — validation (démo)", started_on=received,
            amount_invoiced=Decimal(rng.randrange(3000, 15000, 500)),
            funding=Funding.GENERAL_INTEREST if campaign else Funding.PAID,
        ),
        actor,
    )  # fmt: skip
    request = ValidationRequest(
        delivery=delivery, purpose=Purpose.VALIDATION, product=f"{category} modèle D-{number}",
        product_category=category, referential=referential, laboratory=laboratory,
        campaign=campaign, received_on=received,
    )  # fmt: skip
    sample = timezone.make_aware(datetime.datetime.combine(received, datetime.time(9)))
    offsets = {
        RequestStage.SAMPLE_RECEIVED: 0,
        RequestStage.TESTING: 2,
        RequestStage.REPORT_ISSUED: decided_after - 6,
        RequestStage.DECIDED: decided_after,
    }
    reached = list(RequestStage).index(RequestStage(stage))
    for step in list(RequestStage)[1 : reached + 1]:
        setattr(request, STAGE_DATE[step], sample + datetime.timedelta(hours=offsets[step]))
    request.stage = stage
    if stage == RequestStage.DECIDED:
        request.decision = Decision.NOT_CONFORMING if fails else Decision.CONFORMING
        delivery.ended_on = request.decided_at.date()
        _save(delivery, actor)
    _save(request, actor)
    if reached >= list(RequestStage).index(RequestStage.TESTING):
        characteristic, unit, limit = test
        _save(
            TestResult(
                request=request, method=f"{referential} (démo)", characteristic=characteristic,
                measured_value=Decimal(rng.randint(95, 99)), unit=unit, limit=limit,
                verdict=Verdict.FAIL if fails else Verdict.PASS,
                tested_on=(sample + datetime.timedelta(hours=4)).date(),
            ),
            actor,
        )  # fmt: skip
    if reached >= list(RequestStage).index(RequestStage.REPORT_ISSUED):
        report = ValidationReport(request=request, title=f"Rapport d'essai {reference} (démo)")
        store_upload(report, ContentFile(DEMO_REPORT, name=f"{reference}.pdf"))
        _save(report, actor)
