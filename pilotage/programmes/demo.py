"""Demo plans and agreements. Public facts: the plans, their envelopes and axes, the signature dates
of the 2022 convention-cadre (7 June 2022), the contrats-objectifs (11 April 2023) and the CID
convention-cadre (16 October 2025). Invented (and labelled so): the split of the envelope across
axes, the contract ceilings, the status of the contrats spécifiques and of the protocol, and the
deliverables and payment schedules of two of them."""

import datetime
from decimal import Decimal

from pilotage.core.audit import stamp
from pilotage.core.models import Organisation, User
from pilotage.programmes.models import (
    Agreement,
    AgreementKind,
    AgreementParty,
    AgreementStatus,
    Deliverable,
    DeliverableStatus,
    PartyRole,
    PaymentTranche,
    Programme,
    StrategicAxis,
)

REASON = "Demo data (manage.py load_demo)"
INVENTED = "Montant inventé pour la démonstration."
MDH = Decimal(1_000_000)
CTIS = ["CERIMME", "CTTH", "CETIEV", "CTPC", "CETEMCO", "CMTC", "CTIBA", "CETIA", "CERIC"]
AXES_2022 = [
    (1, "Assistance technique aux projets d'investissement retenus par la Task Force souveraineté "
        "industrielle, alimentaire et sanitaire", 70),
    (2, "Certification et validation des produits", 55),
    (3, "Développement des normes", 35),
    (4, "Nouvelles activités au Maroc", 50),
    (5, "Montée en compétences des CTI via des partenariats industriels et techniques", 40),
]  # fmt: skip


def _save(obj, actor: User):
    stamp(obj, actor=actor, reason=REASON)
    obj.save()
    return obj


def _agreement(actor: User, reference: str, parties: list[tuple[str, str]], **fields) -> Agreement:
    agreement = Agreement.objects.filter(reference=reference).first()
    if agreement is None:
        agreement = _save(Agreement(reference=reference, **fields), actor)
        for acronym, role in parties:
            organisation = Organisation.objects.get(acronym=acronym)
            _save(AgreementParty(agreement=agreement, organisation=organisation, role=role), actor)
    return agreement


def load(actor: User) -> None:
    previous = Programme.objects.filter(code="PDCTI-2014-2020").first() or _save(
        Programme(
            code="PDCTI-2014-2020",
            title="Plan de développement des CTI 2014-2020",
            start_year=2014,
            end_year=2020,
            envelope=290 * MDH,
            description="Convention signée en février 2013 (aussi présentée comme « 2013-2017 »).",
        ),
        actor,
    )
    plan = Programme.objects.filter(code="PDCTI-2022-2025").first() or _save(
        Programme(
            code="PDCTI-2022-2025",
            title="Plan de développement des CTI 2022-2025",
            start_year=2022,
            end_year=2025,
            envelope=250 * MDH,
            predecessor=previous,
            description="Convention-cadre signée le 7 juin 2022 entre le Ministère, le RECTIM et "
            "les CTI. Répartition de l'enveloppe entre axes : inventée pour la démonstration.",
        ),
        actor,
    )
    for number, title, millions in AXES_2022:
        if not plan.axes.filter(number=number).exists():
            _save(
                StrategicAxis(
                    programme=plan, number=number, title=title, envelope=millions * MDH,
                    description=INVENTED,
                ),
                actor,
            )  # fmt: skip

    cadre = _agreement(
        actor,
        "CC-2022-CTI",
        [("MIC", PartyRole.SIGNATORY), ("MIC", PartyRole.FUNDER), ("RECTIM", PartyRole.SIGNATORY)]
        + [(cti, PartyRole.SIGNATORY) for cti in CTIS],
        kind=AgreementKind.CONVENTION_CADRE,
        title="Convention-cadre du plan de développement des CTI 2022-2025",
        programme=plan,
        signed_on=datetime.date(2022, 6, 7),
        starts_on=datetime.date(2022, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
        ceiling=250 * MDH,
        status=AgreementStatus.IN_FORCE,
    )
    for cti in CTIS:
        federations = Organisation.objects.get(acronym=cti).federations.values_list(
            "acronym", flat=True
        )
        _agreement(
            actor,
            f"CO-2023-{cti}",
            [("MIC", PartyRole.SIGNATORY), (cti, PartyRole.BENEFICIARY)]
            + [(federation, PartyRole.SIGNATORY) for federation in federations],
            kind=AgreementKind.CONTRAT_OBJECTIFS,
            title=f"Contrat-objectifs {cti} 2023-2025",
            programme=plan,
            parent=cadre,
            signed_on=datetime.date(2023, 4, 11),
            starts_on=datetime.date(2023, 1, 1),
            ends_on=datetime.date(2025, 12, 31),
            ceiling=Decimal(20) * MDH,
            status=AgreementStatus.IN_FORCE,
            description=f"Plafond : {INVENTED}",
        )

    cid_cadre = _agreement(
        actor,
        "CC-2025-CID",
        [
            ("MIC", PartyRole.SIGNATORY),
            ("CID", PartyRole.SIGNATORY),
            ("RECTIM", PartyRole.SIGNATORY),
        ]
        + [(cti, PartyRole.SIGNATORY) for cti in CTIS],
        kind=AgreementKind.CONVENTION_CADRE,
        title="Convention-cadre de l'écosystème d'ingénierie industrielle (CID – CTI)",
        signed_on=datetime.date(2025, 10, 16),
        starts_on=datetime.date(2025, 10, 16),
        status=AgreementStatus.SIGNED,
        description="Projets communs (innovation, digital, décarbonation, économie circulaire) et "
        "formations techniques spécialisées.",
    )
    for cti in CTIS:
        contract = _agreement(
            actor,
            f"CS-2025-CID-{cti}",
            [("CID", PartyRole.PROVIDER), (cti, PartyRole.BENEFICIARY)],
            kind=AgreementKind.CONTRAT_SPECIFIQUE,
            title=f"Contrat spécifique CID – {cti}",
            parent=cid_cadre,
            status=AgreementStatus.DRAFT,
            description="Conditions techniques et financières des prestations. Statut inventé "
            "pour la démonstration.",
        )
        if cti in ("CTPC", "CETEMCO") and not contract.deliverables.exists():
            _contract_modalities(actor, contract)
    _agreement(
        actor,
        "PC-2025-CTPC-CID-CAPGEMINI",
        [("CTPC", PartyRole.SIGNATORY), ("CID", PartyRole.SIGNATORY),
         ("CAPGEMINI-MA", PartyRole.PARTNER)],
        kind=AgreementKind.PROTOCOLE,
        title="Protocole de collaboration CTPC – CID – Capgemini Engineering Maroc "
        "(formation « build to print » en pièces automobiles)",
        parent=cid_cadre,
        status=AgreementStatus.DRAFT,
        description="Formation du personnel à la conception et au développement de pièces "
        "automobiles « build to print ». Date de signature non publique.",
    )  # fmt: skip


# Invented: each line is (title, due, delivered, accepted, tranche amount in MAD, paid on).
MODALITIES = [
    ("Diagnostic des besoins et cahier des charges", datetime.date(2025, 12, 15),
     datetime.date(2025, 12, 12), datetime.date(2025, 12, 22), 450_000, datetime.date(2026, 1, 20)),
    ("Rapport d'avancement du projet commun", datetime.date(2026, 6, 30),
     datetime.date(2026, 7, 3), datetime.date(2026, 7, 15), 600_000, None),
    ("Rapport final et transfert des livrables", datetime.date(2026, 11, 30), None, None,
     450_000, None),
]  # fmt: skip


def _contract_modalities(actor: User, contract: Agreement) -> None:
    """A contract in force with three deliverables, each releasing a tranche: the first paid,
    the second released, the third overdue."""
    contract.status, contract.signed_on = AgreementStatus.IN_FORCE, datetime.date(2025, 11, 20)
    contract.starts_on, contract.ends_on = contract.signed_on, datetime.date(2027, 6, 30)
    contract.ceiling = Decimal(1_500_000)
    _save(contract, actor)
    for number, (title, due, delivered, accepted, amount, paid) in enumerate(MODALITIES, 1):
        status = DeliverableStatus.ACCEPTED if accepted else DeliverableStatus.DUE
        deliverable = _save(Deliverable(agreement=contract, title=title, due_on=due, status=status,
                                        delivered_on=delivered, reviewed_on=accepted), actor)  # fmt: skip
        tranche = _save(PaymentTranche(agreement=contract, number=number, amount=amount,
                                       planned_on=due, paid_on=paid,
                                       payment_reference=f"VIR-CID-{number:03d}" if paid else ""),
                        actor)  # fmt: skip
        tranche.deliverables.set([deliverable])
