"""Demo projects. Every project, amount, job count and milestone here is INVENTED and labelled
so; the kinds and themes are the plan's and the 2025 CID convention-cadre's."""

import datetime
from decimal import Decimal

from django.utils import timezone

from pilotage.core.audit import stamp
from pilotage.core.models import Organisation, User
from pilotage.governance.models import Decision
from pilotage.projects.models import (
    BudgetLine,
    Milestone,
    Participant,
    Project,
    ProjectStatus,
    Theme,
)

# (code, title, kind, lead, region, sector, theme codes, status, task force: (MDH, jobs, MDH/yr))
PROJECTS = [
    ("TF-2023-01", "Assistance à une usine de composants de câblage automobile", "task_force",
     "CETIEV", "01", "Automobile", [], "in_progress", (Decimal("320"), 850, Decimal("95"))),
    ("TF-2023-02", "Assistance à une unité de films plastiques agricoles", "task_force", "CTPC",
     "06", "Plasturgie", [], "completed", (Decimal("85"), 140, Decimal("40"))),
    ("TF-2024-03", "Assistance à une fonderie d'équipements électriques", "task_force", "CERIMME",
     "03", "Métallurgie", [], "approved", (Decimal("150"), 260, Decimal("55"))),
    ("NA-2024-01", "Nouvelle activité : recyclage des textiles techniques", "new_activity", "CTTH",
     "06", "Textile", ["circular-economy"], "in_progress", None),
    ("PF-2024-01", "Plateforme d'essais des dispositifs médicaux", "platform", "CERIMME", "06",
     "Dispositifs médicaux", ["innovation"], "proposed", None),
    ("CID-2025-INNO", "Conception d'un moule numérique (projet joint CID)", "joint_cid", "CTPC",
     "06", "Plasturgie", ["innovation"], "in_progress", None),
    ("CID-2025-DIGI", "Jumeau numérique d'une ligne de confection (projet joint CID)",
     "joint_cid", "CTTH", "06", "Textile", ["digital"], "approved", None),
    ("CID-2025-DECA", "Décarbonation des fours céramiques (projet joint CID)", "joint_cid",
     "CETEMCO", "06", "Céramique", ["decarbonisation"], "in_progress", None),
    ("CID-2025-CIRC", "Valorisation des chutes de cuir (projet joint CID)", "joint_cid", "CMTC",
     "03", "Cuir", ["circular-economy"], "proposed", None),
]  # fmt: skip


def _save(obj, actor: User):
    stamp(obj, actor=actor, reason="Demo data (manage.py load_demo) — invented figures")
    obj.save()
    return obj


def load(actor: User) -> None:
    if Project.objects.exists():
        return
    today = timezone.localdate()
    decision = Decision.objects.order_by("decided_on").first()
    cid = Organisation.objects.get(acronym="CID")
    themes = {theme.code: theme for theme in Theme.objects.all()}
    for n, (code, title, kind, lead, region, sector, codes, status, task_force) in enumerate(
        PROJECTS
    ):
        starts = today - datetime.timedelta(days=400 - 30 * n)
        project = Project(
            code=code, title=f"{title} (démo)", kind=kind,
            lead=Organisation.objects.get(acronym=lead), region=region, sector=sector,
            starts_on=starts, ends_on=starts + datetime.timedelta(days=900), status=status,
            description="Projet inventé pour la démonstration.",
        )  # fmt: skip
        if task_force:
            project.investment_mdh, project.jobs_expected, project.import_substitution_mdh = (
                task_force
            )
            project.task_force_reference = f"TF-DEMO-{n + 1:03d}"
        if status != ProjectStatus.PROPOSED and decision is not None:
            project.decision = decision
            project.approved_on = max(starts, decision.decided_on)
        if status in (ProjectStatus.IN_PROGRESS, ProjectStatus.COMPLETED):
            project.started_on = project.approved_on
        if status == ProjectStatus.COMPLETED:
            project.closed_on, project.closing_note = today, "Livré (démo)."
        if project.decision is None and status != ProjectStatus.PROPOSED:
            project.status = ProjectStatus.PROPOSED  # no decision in this database to cite
        _save(project, actor)
        project.themes.set([themes[c] for c in codes if c in themes])
        if kind == "joint_cid":
            _save(Participant(project=project, organisation=cid, role="cid"), actor)
        _save(BudgetLine(project=project, source="facet", amount=Decimal(800_000 + 100_000 * n)),
              actor)  # fmt: skip
        _save(BudgetLine(project=project, source="own", amount=Decimal(200_000)), actor)
        for k, (label, days) in enumerate((("Étude de faisabilité", 90), ("Prototype", 300),
                                           ("Rapport final", 850))):  # fmt: skip
            due = starts + datetime.timedelta(days=days)
            milestone = Milestone(project=project, title=f"{label} (démo)", due_on=due)
            # The first milestones are met, except one overdue (the decarbonisation project's).
            if due < today and not (code == "CID-2025-DECA" and k == 1):
                milestone.status, milestone.reached_on = "met", due
            _save(milestone, actor)
