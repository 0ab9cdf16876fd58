"""Load the demo: the organisations of the CTI plans (public facts) and one fictional user per role.

Idempotent: rows are found by their natural key (acronym, e-mail) and only created when missing,
so running it twice adds nothing and never overwrites what people changed since.
"""

from dataclasses import dataclass
from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from pilotage.core.audit import acting_as, save_as_one_change, stamp
from pilotage.core.models import Membership, Organisation, User
from pilotage.core.roles import OrganisationKind, Role

DEMO_PASSWORD = "demo-pilotage-2025"
REASON = "Demo data (manage.py load_demo)"
CASABLANCA = {"city": "Casablanca", "region": "06"}
UNCONFIRMED = "Federation link not confirmed by public sources (demo assumption)."


@dataclass(frozen=True)
class Org:
    acronym: str
    name: str
    kind: str
    sector: str = ""
    federation: str = ""
    city: str = ""
    region: str = ""
    description: str = ""


FEDERATIONS = [
    Org("FIMME", "Fédération des Industries Métallurgiques, Mécaniques et Électromécaniques",
        OrganisationKind.FEDERATION, "Métallurgie, mécanique, électricité et électronique"),
    Org("AMITH", "Association Marocaine des Industries du Textile et de l'Habillement",
        OrganisationKind.FEDERATION, "Textile et habillement"),
    Org("AMICA", "Association Marocaine pour l'Industrie et la Construction Automobile",
        OrganisationKind.FEDERATION, "Automobile"),
    Org("FMP", "Fédération Marocaine de Plasturgie", OrganisationKind.FEDERATION,
        "Plasturgie et caoutchouc"),
    Org("FMC", "Fédération des Industries des Matériaux de Construction",
        OrganisationKind.FEDERATION, "Matériaux de construction"),
    Org("FEDIC", "Fédération des Industries du Cuir", OrganisationKind.FEDERATION, "Cuir"),
    Org("AMIBA", "Association Marocaine des Industries du Bois et de l'Ameublement",
        OrganisationKind.FEDERATION, "Bois et ameublement", description=UNCONFIRMED),
    Org("FENAGRI", "Fédération Nationale de l'Agroalimentaire", OrganisationKind.FEDERATION,
        "Agroalimentaire", description=UNCONFIRMED),
    Org("FNM", "Fédération Nationale de la Minoterie", OrganisationKind.FEDERATION,
        "Céréales et minoterie", description=UNCONFIRMED),
]  # fmt: skip

CTIS = [
    Org("CERIMME", "Centre d'Études et de Recherches des Industries Métallurgiques, Mécaniques, "
        "Électriques et Électroniques", OrganisationKind.CTI,
        "Industries métallurgiques, mécaniques, électriques et électroniques", "FIMME", **CASABLANCA),
    Org("CTTH", "Centre Technique du Textile et de l'Habillement", OrganisationKind.CTI,
        "Textile et habillement", "AMITH", **CASABLANCA),
    Org("CETIEV", "Centre Technique des Industries des Équipements pour Véhicules",
        OrganisationKind.CTI, "Équipements pour véhicules (automobile)", "AMICA", **CASABLANCA),
    Org("CTPC", "Centre Technique de la Plasturgie et du Caoutchouc", OrganisationKind.CTI,
        "Plasturgie et caoutchouc", "FMP", **CASABLANCA,
        description="Laboratoire accrédité ISO/IEC 17025 depuis 2015."),
    Org("CETEMCO", "Centre Technique des Matériaux de Construction", OrganisationKind.CTI,
        "Matériaux de construction, céramique", "FMC", **CASABLANCA),
    Org("CMTC", "Centre Technique du Cuir", OrganisationKind.CTI, "Cuir", "FEDIC", **CASABLANCA),
    Org("CTIBA", "Centre Technique des Industries du Bois et de l'Ameublement",
        OrganisationKind.CTI, "Bois et ameublement", "AMIBA", **CASABLANCA),
    Org("CETIA", "Centre Technique des Industries Agroalimentaires", OrganisationKind.CTI,
        "Agroalimentaire", "FENAGRI", **CASABLANCA),
    Org("CERIC", "Centre Technique des Céréales et de la Minoterie", OrganisationKind.CTI,
        "Céréales et minoterie", "FNM", **CASABLANCA),
]  # fmt: skip

OTHERS = [
    Org("MIC", "Ministère de l'Industrie et du Commerce", OrganisationKind.MINISTRY,
        "Direction Générale de l'Industrie", city="Rabat", region="04"),
    Org("RECTIM", "Réseau des Centres Techniques Industriels Marocains", OrganisationKind.NETWORK,
        "Réseau des CTI", **CASABLANCA),
    Org("CID", "Conseil Ingénierie et Développement", OrganisationKind.CID,
        "Ingénierie", city="Rabat", region="04"),
    Org("CAPGEMINI-MA", "Capgemini Engineering Maroc", OrganisationKind.PARTNER,
        "Ingénierie automobile (partenaire du protocole CTPC–CID)", **CASABLANCA),
]  # fmt: skip

# One fictional person per role (plus a second CTI's staff member: the outsider in every test).
PEOPLE = [
    ("admin@ministere.example", "Samira Admin (fictive)", "MIC", Role.MINISTRY_ADMIN),
    ("officer@ministere.example", "Karim Officier (fictif)", "MIC", Role.MINISTRY_OFFICER),
    ("comite@rectim.example", "Nadia Comité (fictive)", "RECTIM", Role.COMMITTEE_MEMBER),
    ("directeur@ctpc.example", "Youssef Directeur (fictif)", "CTPC", Role.CTI_MANAGER),
    ("staff@ctpc.example", "Leila Technicienne (fictive)", "CTPC", Role.CTI_STAFF),
    ("staff@cetiev.example", "Omar Ingénieur (fictif)", "CETIEV", Role.CTI_STAFF),
    ("federation@fmp.example", "Hind Fédération (fictive)", "FMP", Role.FEDERATION_VIEWER),
    ("manager@cid.example", "Rachid CID (fictif)", "CID", Role.CID_MANAGER),
    ("partner@capgemini.example", "Sara Partenaire (fictive)", "CAPGEMINI-MA", Role.PARTNER_VIEWER),
    ("auditeur@ministere.example", "Mehdi Auditeur (fictif)", "MIC", Role.AUDITOR),
]


# Arabic and English names (the others show the French one, marked FR, as the pages do for any
# name not yet translated).
OTHER_NAMES = {
    "MIC": ("وزارة الصناعة والتجارة", "Ministry of Industry and Trade"),
    "RECTIM": ("شبكة المراكز التقنية الصناعية المغربية", "Network of Moroccan Industrial Technical Centres"),
    "CID": ("مركز الهندسة والتطوير", "Engineering and Development Centre"),
    "CERIMME": ("مركز الدراسات والأبحاث للصناعات المعدنية والميكانيكية والكهربائية",
                "Research Centre for the Metal, Mechanical and Electrical Industries"),
    "CTTH": ("المركز التقني للنسيج والألبسة", "Technical Centre for Textiles and Clothing"),
    "CETIEV": ("المركز التقني لصناعات معدات المركبات", "Technical Centre for Vehicle Equipment Industries"),
    "CTPC": ("المركز التقني للبلاستيك والمطاط", "Technical Centre for Plastics and Rubber"),
    "CETEMCO": ("المركز التقني لمواد البناء", "Technical Centre for Construction Materials"),
    "CMTC": ("المركز التقني للجلد", "Technical Centre for Leather"),
    "CTIBA": ("المركز التقني لصناعات الخشب والأثاث", "Technical Centre for Wood and Furniture Industries"),
    "CETIA": ("المركز التقني للصناعات الغذائية", "Technical Centre for the Food Industries"),
    "CERIC": ("المركز التقني للحبوب والمطاحن", "Technical Centre for Cereals and Milling"),
}  # fmt: skip

# Each app's demo module has `load(actor)`; order matters (agreements need organisations).
APP_DEMOS = [
    "pilotage.programmes.demo",
    "pilotage.results.demo",
    "pilotage.prestations.demo",
    "pilotage.governance.demo",
    "pilotage.fund.demo",
    "pilotage.certification.demo",
    "pilotage.standards.demo",
    "pilotage.projects.demo",
    "pilotage.training.demo",
    "pilotage.reports.demo",  # last: its editions read everything the others load
]


class Command(BaseCommand):
    help = "Load the demo organisations and one demo account per role (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        admin_email, admin_name, _org, _role = PEOPLE[0]
        admin = self._user(admin_email, admin_name)
        with acting_as(admin):
            self._core(admin)
            for module in APP_DEMOS:
                import_module(module).load(admin)
        self._print_accounts()

    def _core(self, admin: User) -> None:
        for org in [*OTHERS, *FEDERATIONS, *CTIS]:
            self._organisation(org)
        for email, name, acronym, role in PEOPLE:
            user = self._user(email, name)
            organisation = Organisation.objects.get(acronym=acronym)
            if not Membership.objects.filter(user=user, organisation=organisation, role=role):
                membership = Membership(user=user, organisation=organisation, role=role)
                stamp(membership, actor=admin, reason=REASON)
                membership.save()

    def _organisation(self, org: Org) -> Organisation:
        existing = Organisation.objects.filter(acronym=org.acronym).first()
        if existing:
            return existing
        name_ar, name_en = OTHER_NAMES.get(org.acronym, (None, None))
        organisation = Organisation(
            acronym=org.acronym,
            name_fr=org.name,
            name_ar=name_ar,
            name_en=name_en,
            kind=org.kind,
            sector=org.sector,
            city=org.city,
            region=org.region,
            description=org.description,
        )
        stamp(organisation, actor=None, reason=REASON)
        federations = Organisation.objects.filter(acronym=org.federation) if org.federation else []
        save_as_one_change(organisation, {"federations": federations})
        return organisation

    def _user(self, email: str, name: str) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email, full_name=name)
            user.set_password(DEMO_PASSWORD)
            stamp(user, actor=None, reason=REASON)
            user.save()
        return user

    def _print_accounts(self) -> None:
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {DEMO_PASSWORD})"))
        for email, _name, acronym, role in PEOPLE:
            self.stdout.write(f"  {Role(role).label:<34} {acronym:<13} {email}")
