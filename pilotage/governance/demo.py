"""Demo governance: the FACET comité de suivi and the steering committee of the 2025 CID
convention-cadre, three meetings, numbered decisions (among them the reallocations FACET-2023-03
and FACET-2024-07 that the fund cites), and the recommendations of the 2014-2020 evaluation with
their follow-up. Public facts: the FACET committee exists and validated the evaluation study's
recommendations. Everything else (dates, members, texts, responses, progress) is INVENTED."""

import datetime

from django.utils import timezone

from pilotage.core.models import Organisation, User
from pilotage.governance import services
from pilotage.governance.models import (
    Committee,
    CommitteeMember,
    Decision,
    Evaluation,
    Meeting,
    MeetingStatus,
)
from pilotage.programmes.models import Agreement, Programme

REASON = "Demo data (manage.py load_demo) — invented content"
D = datetime.date

COMMITTEES = [
    ("FACET", "Comité de suivi du FACET (Fonds d'appui aux CTI)", "PDCTI-2022-2025", None,
     "Suit l'exécution du plan et du fonds FACET, autorise les redéploiements, approuve les "
     "projets et valide les recommandations des évaluations. Composition : inventée."),
    ("CID-COPIL", "Comité de pilotage de la convention-cadre CID – CTI", None, "CC-2025-CID",
     "Pilote la convention-cadre du 16 octobre 2025. Composition : inventée."),
]  # fmt: skip
# committee, organisation, role, person (or a demo account's e-mail)
MEMBERS = [
    ("FACET", "MIC", "chair", "Directeur général de l'industrie (fictif)"),
    ("FACET", "MIC", "secretary", "officer@ministere.example"),
    ("FACET", "RECTIM", "member", "comite@rectim.example"),
    ("FACET", "FIMME", "member", "Représentant de la FIMME (fictif)"),
    ("CID-COPIL", "MIC", "chair", "Directrice de l'ingénierie industrielle (fictive)"),
    ("CID-COPIL", "CID", "member", "Directeur général du CID (fictif)"),
    ("CID-COPIL", "RECTIM", "member", "comite@rectim.example"),
]
# committee, date, place, agenda, decisions: (kind, title, owner, due, follow-up, note)
MEETINGS = [
    ("FACET", D(2023, 6, 20), "Rabat, ministère", "1. Bilan 2022\n2. Allocations 2023\n"
     "3. Projets de l'appel 2023\n4. Redéploiements", [
        ("allocation", "Allocations FACET 2023 par CTI", "MIC", D(2023, 7, 31), "done",
         "Allocations saisies au grand livre."),
        ("project", "Approbation de 12 projets de l'appel 2023", "RECTIM", D(2023, 12, 31),
         "done", "Conventions de projet signées."),
        ("reallocation", "Redéploiement de 2 MDH de l'axe 3 (normes) vers l'axe 1 "
         "(Task Force)", "MIC", D(2023, 9, 30), "done", "Redéploiement passé au grand livre."),
    ]),
    ("FACET", D(2024, 7, 10), "Casablanca, complexe des CTI de Sidi Maârouf",
     "1. Bilan 2023\n2. Allocations 2024\n3. Plan d'action de l'évaluation 2014-2020\n"
     "4. Avenants\n5. Redéploiements", [
        ("allocation", "Allocations FACET 2024 par CTI", "MIC", D(2024, 8, 31), "done",
         "Allocations saisies au grand livre."),
        ("project", "Approbation de 9 projets de développement", "RECTIM", D(2024, 12, 31),
         "in_progress", "7 conventions signées sur 9."),
        ("recommendation", "Validation du plan d'action des recommandations de l'évaluation "
         "2014-2020", "MIC", D(2024, 12, 31), "done", "Plan d'action diffusé aux CTI."),
        ("amendment", "Autorisation d'un avenant de prolongation des contrats-objectifs",
         "MIC", D(2025, 3, 31), "in_progress", ""),
        ("other", "Calendrier de reporting semestriel des indicateurs", "RECTIM",
         D(2024, 9, 30), "done", "Calendrier publié."),
        ("project", "Approbation du projet de plateforme d'essais de recyclage (CTPC)",
         "CTPC", D(2025, 6, 30), "open", ""),
        ("reallocation", "Redéploiement de 1,5 MDH du CTIBA vers le CETIEV", "MIC",
         D(2024, 10, 31), "in_progress", "Accord des deux CTI obtenu ; écriture à passer."),
    ]),
    ("CID-COPIL", D(2025, 11, 27), "Rabat, CID", "1. Installation du comité\n"
     "2. Premiers contrats spécifiques", [
        ("project", "Lancement des contrats spécifiques CID – CTI 2025-2026", "CID",
         D(2026, 3, 31), "open", ""),
    ]),
]  # fmt: skip
EVALUATION = {
    "title": "Évaluation du plan de développement des CTI 2014-2020",
    "evaluator": "Cabinet d'évaluation (fictif)",
    "delivered_on": D(2021, 6, 30),
    "summary": "Étude d'évaluation dont les recommandations ont été validées par le comité de "
    "suivi du FACET (fait public). Textes, réponses et suivi : inventés pour la démonstration.",
}
# number, text, response, note on the response, owner, due, progress: (date, text, status after)
RECOMMENDATIONS = [
    (1, "Doter le programme d'un cadre de résultats : indicateurs et cibles contractualisés "
     "par CTI.", "accepted", "", "MIC", D(2023, 4, 30), [
        (D(2022, 6, 7), "Principe inscrit dans la convention-cadre 2022-2025.", "in_progress"),
        (D(2023, 4, 11), "Contrats-objectifs signés avec les 9 CTI.", "implemented"),
    ]),
    (2, "Mettre en place un système d'information de suivi partagé entre le ministère et les "
     "CTI.", "accepted", "", "MIC", D(2025, 12, 31), [
        (D(2024, 2, 15), "Cahier des charges validé.", "in_progress"),
        (D(2025, 6, 30), "Plateforme de pilotage en recette.", ""),
    ]),
    (3, "Augmenter la part des ressources propres des CTI (prestations facturées).", "partly",
     "Retenu pour les CTI de plus de cinq ans ; les plus jeunes gardent un financement de "
     "démarrage.", "RECTIM", D(2025, 6, 30), []),
    (4, "Regrouper les CTI de petite taille en un centre unique.", "rejected",
     "Les CTI restent adossés à leurs fédérations sectorielles.", "", None, []),
    (5, "Publier chaque année un bilan des réalisations des CTI.", "accepted", "", "RECTIM",
     D(2024, 3, 31), [(D(2024, 3, 20), "Bilan 2023 publié.", "implemented")]),
]  # fmt: skip


def _org(acronym: str) -> Organisation | None:
    return Organisation.objects.filter(acronym=acronym).first() if acronym else None


def load(actor: User) -> None:
    committees = {code: _committee(actor, code, *rest) for code, *rest in COMMITTEES}
    for code, acronym, role, person in MEMBERS:
        _member(actor, committees[code], acronym, role, person)
    for code, day, place, agenda, decisions in MEETINGS:
        _meeting(actor, committees[code], day, place, agenda, decisions)
    _evaluation(actor, committees["FACET"])


def _committee(actor, code, name, programme, agreement, mandate) -> Committee:
    return Committee.objects.filter(code=code).first() or services.committee_create(
        actor=actor, reason=REASON, code=code, name=name, mandate=mandate,
        programme=Programme.objects.filter(code=programme).first() if programme else None,
        agreement=Agreement.objects.filter(reference=agreement).first() if agreement else None,
    )  # fmt: skip


def _member(actor, committee: Committee, acronym: str, role: str, person: str) -> None:
    user = User.objects.filter(email=person).first() if "@" in person else None
    seat = CommitteeMember.objects.filter(committee=committee, organisation__acronym=acronym)
    if seat.filter(user=user, person_name="" if user else person).exists():
        return
    services.member_add(
        actor=actor, committee=committee, organisation=_org(acronym), role=role, user=user,
        person_name="" if user else person, reason=REASON,
    )  # fmt: skip


def _meeting(actor, committee: Committee, day, place, agenda, decisions) -> None:
    meeting = Meeting.objects.filter(committee=committee, date=day).first()
    if meeting is None:
        meeting = services.meeting_create(
            actor=actor, committee=committee, date=day, place=place, agenda=agenda, reason=REASON
        )
    if meeting.status == MeetingStatus.PLANNED and day <= timezone.localdate():
        meeting = services.meeting_transition(
            actor=actor, meeting=meeting, status=MeetingStatus.HELD, reason=REASON
        )
    if meeting.status != MeetingStatus.HELD:
        return  # still to come on this machine's clock: its decisions are not taken yet
    for sequence, (kind, title, owner, due, status, note) in enumerate(decisions, start=1):
        number = services.decision_number(committee, day.year, sequence)
        if Decision.objects.filter(number=number).exists():
            continue
        decision = services.decision_create(
            actor=actor, committee=committee, meeting=meeting, decided_on=day, kind=kind,
            title=title, text=f"{title}. Texte de la décision : inventé pour la démonstration.",
            owner=_org(owner), due_on=due, reason=REASON,
        )  # fmt: skip
        if status != "open":
            services.decision_follow_up(
                actor=actor, decision=decision, status=status, note=note, reason=REASON
            )


def _evaluation(actor, committee: Committee) -> None:
    evaluation = Evaluation.objects.filter(
        title=EVALUATION["title"], delivered_on=EVALUATION["delivered_on"]
    ).first() or services.evaluation_create(
        actor=actor, reason=REASON, committee=committee,
        programme=Programme.objects.filter(code="PDCTI-2014-2020").first(), **EVALUATION,
    )  # fmt: skip
    for number, text, response, response_note, owner, due, notes in RECOMMENDATIONS:
        if evaluation.recommendations.filter(number=number).exists():
            continue
        recommendation = services.recommendation_create(
            actor=actor, evaluation=evaluation, number=number, text=text, response=response,
            response_note=response_note, owner=_org(owner), due_on=due, reason=REASON,
        )  # fmt: skip
        for day, progress, status_after in notes:
            services.progress_note_create(
                actor=actor, recommendation=recommendation, noted_on=day, text=progress,
                status_after=status_after,
            )  # fmt: skip
