"""Demo standards work. The references and titles are INVENTED (prefixed DEMO), labelled so; the
stages follow IMANOR's process (proposal, annual programme, drafting, committee draft, public
enquiry of one to three months, homologation by order, publication, five-yearly review)."""

import datetime

from django.utils import timezone

from pilotage.core.audit import stamp
from pilotage.core.models import Organisation, User
from pilotage.standards.models import STAGE_DATE, CtiRole, Stage, StandardWork

REASON = "Demo data (manage.py load_demo) — invented figures"

# CTI → (technical committee, [(title, title in Arabic)]) — invented works of each trade.
WORKS = {
    "CTPC": ("CN 10 — Plastiques (démo)", [
        ("Tubes en polyéthylène pour l'eau potable", "أنابيب البولي إيثيلين للماء الصالح للشرب"),
        ("Films agricoles en polyéthylène", "أغشية البولي إيثيلين الفلاحية"),
        ("Sacs en plastique biodégradables", "أكياس بلاستيكية قابلة للتحلل")]),
    "CTTH": ("CN 16 — Textiles (démo)", [
        ("Masques barrières en textile", "الكمامات النسيجية الواقية"),
        ("Étiquetage de composition des textiles", "وسم تركيبة المنسوجات")]),
    "CERIMME": ("CN 04 — Électrotechnique (démo)", [
        ("Câbles électriques basse tension", "الكابلات الكهربائية ذات التوتر المنخفض"),
        ("Lits médicaux électriques", "الأسرة الطبية الكهربائية")]),
    "CETEMCO": ("CN 05 — Matériaux de construction (démo)", [
        ("Carreaux céramiques", "البلاط الخزفي")]),
    "CTIBA": ("CN 18 — Ameublement (démo)", [
        ("Mobilier scolaire", "الأثاث المدرسي")]),
}  # fmt: skip


def load(actor: User) -> None:
    if StandardWork.objects.exists():
        return
    today = timezone.localdate()
    stages = list(Stage)
    n = 0
    for acronym, (committee, titles) in WORKS.items():
        cti = Organisation.objects.get(acronym=acronym)
        for title, title_ar in titles:
            stage = stages[n % len(stages)]
            work = StandardWork(
                cti=cti, reference=f"NM DEMO.{n + 1:02d}", title=f"{title} (démo)",
                title_ar=title_ar, technical_committee=committee,
                cti_role=CtiRole.SECRETARIAT if n % 3 == 0 else CtiRole.MEMBER, stage=stage,
                note="Norme inventée pour la démonstration.",
            )  # fmt: skip
            # Each stage about 70 days after the one before, so that the last one is recent;
            # one work in three is late in its stage.
            spacing = 70 if n % 3 else 200
            start = today - datetime.timedelta(days=spacing * (stages.index(stage) + 1))
            for k, current in enumerate(stages[: stages.index(stage) + 1]):
                setattr(work, STAGE_DATE[current], start + datetime.timedelta(days=spacing * k))
            if work.enquiry_opens_on:
                work.enquiry_closes_on = work.enquiry_opens_on + datetime.timedelta(days=60)
            if work.homologated_on:
                work.homologated_on = max(work.homologated_on, work.enquiry_closes_on)
                work.homologation_order = f"Arrêté n° DEMO-{n + 1:02d}"
                if work.published_on:
                    work.published_on = max(work.published_on, work.homologated_on)
            stamp(work, actor=actor, reason=REASON)
            work.save()
            n += 1
    # A standard published long ago, its five-yearly review overdue.
    cti = Organisation.objects.get(acronym="CETIA")
    old = StandardWork(
        cti=cti, reference="NM DEMO.99", title="Huiles d'olive vierges (démo)",
        title_ar="زيوت الزيتون البكر", technical_committee="CN 08 — Agroalimentaire (démo)",
        stage=Stage.PUBLISHED, proposed_on=datetime.date(2014, 2, 1),
        programmed_on=datetime.date(2014, 6, 1), drafting_on=datetime.date(2014, 9, 1),
        committee_draft_on=datetime.date(2015, 3, 1), enquiry_opens_on=datetime.date(2015, 6, 1),
        enquiry_closes_on=datetime.date(2015, 8, 1), homologated_on=datetime.date(2015, 11, 1),
        homologation_order="Arrêté n° DEMO-99", published_on=datetime.date(2016, 1, 15),
        note="Norme inventée pour la démonstration : revue quinquennale en retard.",
    )  # fmt: skip
    stamp(old, actor=actor, reason=REASON)
    old.save()
