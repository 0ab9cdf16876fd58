"""Demo services register. Every company, person and figure here is INVENTED (seeded,
reproducible): 600 fictional companies with valid ICE numbers (15 digits, divisible by 97) across
the 12 regions, a catalogue for each of the nine CTIs, and deliveries over 2023-2025 generated to
match the demo contracts' reported values: distinct companies served (ENT), of which SMEs (PME)
and revenue (CA) equal what each CTI reported, so those three indicators become "computed".

Rows are written with bulk inserts (and their history rows), so `make demo` stays fast; the whole
load is skipped when the demo catalogue is already there (idempotent)."""

import datetime
import random
from decimal import ROUND_DOWN, Decimal

from simple_history.utils import bulk_create_with_history

from pilotage.core.audit import stamp
from pilotage.core.models import Organisation, User
from pilotage.prestations.models import (
    SME_SIZES,
    Company,
    Funding,
    ServiceCategory,
    ServiceDelivery,
    ServiceOffering,
    ServiceRequest,
    SizeClass,
)
from pilotage.results.computations import Computation
from pilotage.results.models import Indicator, IndicatorSource, Measurement

REASON = "Demo data (manage.py load_demo) — invented figures"
YEARS = (2023, 2024, 2025)
COMPANIES = 600
SEED = 2025

# Offerings every CTI could have: category → (French, Arabic, English) title.
TITLES = {
    ServiceCategory.LABORATORY_TESTING: (
        "Essais de laboratoire", "اختبارات مخبرية", "Laboratory testing"),
    ServiceCategory.CERTIFICATION: (
        "Certification de produits", "إشهاد المنتجات", "Product certification"),
    ServiceCategory.PRODUCT_VALIDATION: (
        "Validation et homologation de produits", "المصادقة على المنتجات واعتمادها",
        "Product validation and homologation"),
    ServiceCategory.TECHNICAL_ASSISTANCE: (
        "Assistance technique", "المساعدة التقنية", "Technical assistance"),
    ServiceCategory.STUDY_RD: ("Études et R&D", "الدراسات والبحث والتطوير", "Studies and R&D"),
    ServiceCategory.TRAINING: ("Formation technique", "التكوين التقني", "Technical training"),
    ServiceCategory.STANDARDISATION: (
        "Élaboration de normes", "إعداد المواصفات القياسية", "Standards development"),
    ServiceCategory.WATCH: (
        "Veille technologique et réglementaire", "اليقظة التكنولوجية والتنظيمية",
        "Technology and regulatory watch"),
    ServiceCategory.DIAGNOSTIC: ("Diagnostic industriel", "التشخيص الصناعي", "Industrial diagnostic"),
    ServiceCategory.IMPORT_CONFORMITY: (
        "Contrôle de conformité des produits importés", "مراقبة مطابقة المنتجات المستوردة",
        "Conformity control of imported products"),
}  # fmt: skip
# What each CTI's catalogue speaks of (fictional offers, plausible for the trade): the test and
# its standard, the certification scheme, the training, the assistance and the diagnostic.
SPECIALITIES = {
    "CERIMME": (
        "Essai de traction des aciers (NM EN ISO 6892-1)",
        "marquage NM des fils et câbles",
        "soudage TIG et MIG des aciers inoxydables",
        "mise au point de gammes d'usinage CNC",
        "efficacité énergétique des fours de traitement thermique",
    ),
    "CTTH": (
        "Solidité des teintures au lavage (ISO 105-C06)",
        "étiquetage de composition des textiles",
        "patronage industriel et gradation sur CAO",
        "réduction des temps de coupe en confection",
        "consommation d'eau des ateliers d'ennoblissement",
    ),
    "CETIEV": (
        "Essai de brouillard salin des pièces revêtues (ISO 9227)",
        "homologation des pneumatiques importés",
        "lecture de plans et cotation fonctionnelle (build-to-print)",
        "démarche IATF 16949 chez un équipementier de rang 2",
        "chaîne d'approvisionnement d'un câbleur automobile",
    ),
    "CTPC": (
        "Essai de traction des plastiques (ISO 527-2)",
        "tubes PEHD pour l'adduction d'eau (NM ISO 4427)",
        "réglage des presses à injecter",
        "réduction des rebuts d'extrusion-soufflage",
        "recyclage des chutes de production en boucle fermée",
    ),
    "CETEMCO": (
        "Résistance à la compression des bétons (NM EN 12390-3)",
        "marquage NM des ciments et des carreaux",
        "formulation des bétons prêts à l'emploi",
        "qualité de la préfabrication des hourdis",
        "dépense d'énergie des fours à briques",
    ),
    "CMTC": (
        "Résistance à la flexion des tiges de chaussures (ISO 17694)",
        "conformité des articles chaussants importés",
        "montage et finissage de la chaussure",
        "organisation d'une piqûre en ligne",
        "gestion des effluents de tannerie",
    ),
    "CTIBA": (
        "Humidité et densité des bois (NM ISO 13061)",
        "panneaux de particules pour l'ameublement",
        "affûtage et maintenance des outils de découpe",
        "aménagement d'un atelier de menuiserie",
        "valorisation des sciures et copeaux",
    ),
    "CETIA": (
        "Analyses microbiologiques des aliments (ISO 4833-1)",
        "sécurité sanitaire HACCP et ISO 22000",
        "bonnes pratiques d'hygiène en conserverie",
        "maîtrise des traitements thermiques en laiterie",
        "pertes et gaspillage sur une ligne de conditionnement",
    ),
    "CERIC": (
        "Qualité des farines : protéines, humidité, gluten (NM ISO 712)",
        "farines de blé tendre à la marque NM",
        "conduite d'un moulin et réglage des cylindres",
        "rendement meunier et extraction",
        "consommation électrique d'une minoterie",
    ),
}
# Price, lead time and accreditation by category (a test is accredited; the rest is priced on
# quotation after a first exchange).
TERMS = {
    ServiceCategory.LABORATORY_TESTING: ("{price} DH HT par échantillon", "{days} jours ouvrés",
                                         "ISO/IEC 17025 — laboratoire accrédité SEMAC (fictif)"),
    ServiceCategory.CERTIFICATION: ("Sur devis, selon le nombre de références", "6 à 8 semaines",
                                    "Organisme désigné par le ministère (fictif)"),
    ServiceCategory.TRAINING: ("{price} DH HT par participant et par jour", "Sessions mensuelles", ""),
    ServiceCategory.TECHNICAL_ASSISTANCE: ("Sur devis après un premier diagnostic gratuit",
                                           "Démarrage sous {days} jours", ""),
    ServiceCategory.DIAGNOSTIC: (
        "{price} DH HT le diagnostic (2 jours sur site)", "{days} jours ouvrés", ""),
}  # fmt: skip
DESCRIPTIONS = {
    ServiceCategory.LABORATORY_TESTING: "{0} : rapport d'essai signé, incertitudes de mesure et "
    "conformité à la norme citée. Échantillons déposés au laboratoire ou prélevés chez vous.",
    ServiceCategory.CERTIFICATION: "Certification de produit — {1} : audit de l'usine, essais de "
    "type et suivi annuel, jusqu'au droit d'usage de la marque.",
    ServiceCategory.TRAINING: "Formation pratique — {2} : petits groupes (8 personnes au plus), "
    "exercices sur machines, attestation de fin de formation.",
    ServiceCategory.TECHNICAL_ASSISTANCE: "Assistance technique — {3} : un ingénieur du centre "
    "travaille avec vos équipes sur site et vous laisse un plan d'actions chiffré.",
    ServiceCategory.DIAGNOSTIC: "Diagnostic — {4} : mesures sur site, comparaison aux "
    "meilleures pratiques du secteur et gains attendus, dans un rapport de synthèse.",
}  # fmt: skip
# The categories a CTI's deliveries fall in, most frequent first.
MIX = [
    ServiceCategory.LABORATORY_TESTING, ServiceCategory.TECHNICAL_ASSISTANCE,
    ServiceCategory.TRAINING, ServiceCategory.CERTIFICATION, ServiceCategory.DIAGNOSTIC,
    ServiceCategory.PRODUCT_VALIDATION, ServiceCategory.STUDY_RD, ServiceCategory.WATCH,
]  # fmt: skip
MIX_WEIGHTS = [30, 20, 15, 10, 10, 7, 5, 3]
# Where the fictional companies are (Casablanca-Settat first, as in reality).
REGION_WEIGHTS = {"06": 40, "04": 12, "01": 12, "03": 8, "07": 7, "09": 6, "02": 5, "05": 4,
                  "08": 2, "10": 2, "11": 1, "12": 1}  # fmt: skip
CITIES = {"01": "Tanger", "02": "Oujda", "03": "Fès", "04": "Kénitra", "05": "Béni Mellal",
          "06": "Casablanca", "07": "Marrakech", "08": "Errachidia", "09": "Agadir",
          "10": "Guelmim", "11": "Laâyoune", "12": "Dakhla"}  # fmt: skip
SIZES = [SizeClass.TPE, SizeClass.PME, SizeClass.ETI, SizeClass.GE]
NAMES = [("Atlas", "أطلس"), ("Sahara", "الصحراء"), ("Oasis", "الواحة"), ("Rif", "الريف"),
         ("Anfa", "أنفا"), ("Zagora", "زاكورة"), ("Tafilalt", "تافيلالت"), ("Noor", "نور"),
         ("Amal", "أمل"), ("Baraka", "بركة"), ("Chefchaouen", "شفشاون"), ("Souss", "سوس")]  # fmt: skip
TRADES = [("Industries", "للصناعات"), ("Plast", "للبلاستيك"), ("Méca", "للميكانيك"),
          ("Textile", "للنسيج"), ("Agro", "للصناعات الغذائية"), ("Matériaux", "لمواد البناء")]  # fmt: skip
LEGAL = ["SARL", "SA", "SARLAU"]


def ice_for(n: int) -> str:
    """A fictional, valid ICE: 9 digits for the company, 0000 (head office), 2 control digits
    that make the 15-digit number divisible by 97 (`stdnum.ma.ice`)."""
    body = (900_000_000 + n) * 10_000 * 100
    return f"{body + (97 - body % 97) % 97:015d}"


def load(actor: User) -> None:
    if ServiceOffering.objects.filter(code__startswith="CAT-").exists():
        return  # already loaded: the demo never duplicates or overwrites
    rng = random.Random(SEED)
    ctis = list(Organisation.objects.filter(kind="cti").order_by("acronym"))
    companies = _companies(rng, ctis, actor)
    offerings = _catalogue(rng, ctis, actor)
    for cti in ctis:
        _deliveries(rng, cti, companies, offerings[cti.pk], actor)
    _requests(offerings, actor)
    _computed_indicators(actor)


def _companies(rng: random.Random, ctis, actor) -> list[Company]:
    regions = list(REGION_WEIGHTS)
    rows = []
    for n in range(COMPANIES):
        (latin, arabic), (trade, trade_ar) = rng.choice(NAMES), rng.choice(TRADES)
        region = rng.choices(regions, weights=list(REGION_WEIGHTS.values()))[0]
        rows.append(
            Company(
                ice=ice_for(n), name=f"{latin} {trade} {n + 1} (fictive)",
                name_ar=f"{arabic} {trade_ar} {n + 1}", legal_form=rng.choice(LEGAL),
                size_class=rng.choices(SIZES, weights=[30, 45, 15, 10])[0],
                sector=ctis[n % len(ctis)].sector, region=region, city=CITIES[region],
                registered_by=ctis[n % len(ctis)],
            )
        )  # fmt: skip
    return bulk_create_with_history(rows, Company, default_user=actor, default_change_reason=REASON)


def _catalogue(rng: random.Random, ctis, actor) -> dict[int, list[ServiceOffering]]:
    rows = []
    for cti in ctis:
        categories = [*MIX[:5], ServiceCategory.STANDARDISATION]
        if cti.acronym in ("CETIEV", "CTPC", "CTTH"):
            categories.append(ServiceCategory.IMPORT_CONFORMITY)
        for position, category in enumerate(categories, start=1):
            rows.append(_offering(rng, cti, position, category))
    saved = bulk_create_with_history(
        rows, ServiceOffering, default_user=actor, default_change_reason=REASON
    )
    by_cti: dict[int, list[ServiceOffering]] = {}
    for offering in saved:
        by_cti.setdefault(offering.cti_id, []).append(offering)
    return by_cti


def _offering(rng: random.Random, cti, position: int, category: str) -> ServiceOffering:
    """A specific, fictional catalogue entry: what is done, to which standard, at what price
    and how soon, and whom to write to."""
    fr, ar, en = TITLES[category]
    facts = SPECIALITIES.get(cti.acronym, (fr,) * 5)
    index = list(DESCRIPTIONS).index(category) if category in DESCRIPTIONS else None
    title = facts[index][:1].upper() + facts[index][1:] if index is not None else fr
    pricing, lead_time, accreditation = TERMS.get(category, ("Sur devis", "", ""))
    terms = {
        "price": rng.choice([450, 600, 850, 1200, 1800, 2500]),
        "days": rng.choice([5, 10, 15]),
    }
    describe = DESCRIPTIONS.get(category)
    return ServiceOffering(
        cti=cti, code=f"CAT-{cti.acronym}-{position:02d}", category=category, sector=cti.sector,
        title=title, title_ar=f"{ar} — {cti.acronym}", title_en=f"{en} — {cti.acronym}",
        description=describe.format(*facts) if describe else
        f"{fr} avec le {cti.acronym} ({cti.sector}) : participation aux commissions de normalisation.",
        description_ar=f"{ar} يقدمها المركز التقني {cti.acronym} للمقاولات.",
        description_en=f"{en} by {cti.acronym} for companies of the {cti.sector} trade.",
        pricing=pricing.format(**terms), lead_time=lead_time.format(**terms),
        accreditation=accreditation, contact_email=f"prestations@{cti.acronym.lower()}.example",
        contact_phone=f"+212 522 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
        # One entry per CTI kept internal, to show the difference.
        is_public=category != ServiceCategory.STANDARDISATION,
    )  # fmt: skip


def _reported(cti: Organisation, code: str, year: int) -> Decimal | None:
    """What the CTI reported (latest revision) for an indicator and year in the results demo."""
    m = (
        Measurement.objects.filter(
            organisation=cti, indicator__code=code, period__year=year, period__part=0
        )
        .order_by("-revision")
        .first()
    )
    return m.value if m is not None else None


def _deliveries(rng: random.Random, cti, companies: list[Company], offerings, actor) -> None:
    by_category = {o.category: o for o in offerings}
    smes = [c for c in companies if c.size_class in SME_SIZES]
    others = [c for c in companies if c.size_class not in SME_SIZES]
    rows = []
    for year in YEARS:
        served = _reported(cti, "ENT", year) or Decimal(rng.randint(60, 160))
        sme = min(_reported(cti, "PME", year) or served * Decimal("0.7"), served)
        revenue = _reported(cti, "CA", year) or Decimal(rng.randint(2, 8) * 1_000_000)
        n_sme = min(int(sme), len(smes))
        n_other = min(int(served) - n_sme, len(others))
        chosen = rng.sample(smes, n_sme) + rng.sample(others, n_other)
        year_rows = []
        for company in chosen:
            for _repeat in range(rng.choices([1, 2, 3], weights=[60, 30, 10])[0]):
                category = rng.choices(MIX, weights=MIX_WEIGHTS)[0]
                start = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randint(0, 330))
                year_rows.append(
                    ServiceDelivery(
                        cti=cti, company=company, offering=by_category.get(category),
                        category=category, started_on=start,
                        ended_on=start + datetime.timedelta(days=rng.randint(1, 30)),
                        funding=Funding.GENERAL_INTEREST if rng.random() < 0.3 else Funding.PAID,
                        satisfaction=rng.choice([None, 3, 4, 4, 5, 5]),
                        task_force_project=f"TF-{rng.randint(1, 1179):04d}"
                        if rng.random() < 0.08 else "",
                    )
                )  # fmt: skip
        _share_revenue(rng, year_rows, revenue)
        for number, row in enumerate(sorted(year_rows, key=lambda r: r.started_on), start=1):
            row.reference = f"{cti.acronym}-{year}-{number:04d}"
        rows.extend(year_rows)
    bulk_create_with_history(
        rows, ServiceDelivery, batch_size=2000, default_user=actor, default_change_reason=REASON
    )


def _share_revenue(rng: random.Random, rows: list[ServiceDelivery], revenue: Decimal) -> None:
    """Spread the reported revenue over the paid deliveries, to the centime."""
    paid = [r for r in rows if r.funding == Funding.PAID] or rows
    weights = [rng.uniform(0.2, 3) for _row in paid]
    total = sum(weights)
    left = revenue
    for row, weight in zip(paid[:-1], weights[:-1], strict=True):
        row.amount_invoiced = (revenue * Decimal(weight / total)).quantize(
            Decimal("0.01"), ROUND_DOWN
        )
        left -= row.amount_invoiced
    paid[-1].amount_invoiced = left


def _requests(offerings: dict[int, list[ServiceOffering]], actor) -> None:
    """A few requests waiting in CTPC's inbox."""
    ctpc = Organisation.objects.filter(acronym="CTPC").first()
    if ctpc is None:
        return
    for offering, (company, contact, message) in zip(
        [o for o in offerings[ctpc.pk] if o.is_public],
        [
            (
                "Plastiques Al Amal (fictive)",
                "Salma B.",
                "Essais de résistance sur des bidons PEHD.",
            ),
            ("شركة الأطلس للبلاستيك (وهمية)", "يوسف ع.", "نرغب في تشخيص خط الإنتاج."),
            (
                "Emballages du Souss (fictive)",
                "Hamid K.",
                "Formation de nos opérateurs à l'injection.",
            ),
        ],
        strict=False,
    ):
        request = ServiceRequest(
            offering=offering, cti=ctpc, company_name=company, contact_name=contact,
            email="contact@entreprise.example", message=message,
        )  # fmt: skip
        stamp(request, actor=actor, reason=REASON)
        request.save()


def _computed_indicators(actor) -> None:
    """The contracts' ENT, PME and CA indicators are computed from the register from now on."""
    computations = {
        "ENT": Computation.COMPANIES_SERVED,
        "PME": Computation.SME_COMPANIES_SERVED,
        "CA": Computation.REVENUE,
    }
    for indicator in Indicator.objects.filter(
        code__in=computations, objective__agreement__isnull=False
    ):
        indicator.source = IndicatorSource.COMPUTED
        indicator.computation = computations[indicator.code]
        stamp(indicator, actor=actor, reason=REASON)
        indicator.save()
