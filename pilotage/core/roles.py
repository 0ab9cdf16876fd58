"""The roles of DESIGN §5 and which organisation kinds may hold them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    NETWORK = "network", _("Network")
    CTI = "cti", _("Industrial technical centre (CTI)")
    FEDERATION = "federation", _("Federation")
    CID = "cid", _("CID")
    PARTNER = "partner", _("Partner")


class Role(models.TextChoices):
    MINISTRY_ADMIN = "ministry_admin", _("Ministry administrator")
    MINISTRY_OFFICER = "ministry_officer", _("Ministry programme officer")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    CTI_MANAGER = "cti_manager", _("CTI manager")
    CTI_STAFF = "cti_staff", _("CTI staff")
    FEDERATION_VIEWER = "federation_viewer", _("Federation viewer")
    CID_MANAGER = "cid_manager", _("CID manager")
    PARTNER_VIEWER = "partner_viewer", _("Partner viewer")
    AUDITOR = "auditor", _("Auditor")


# Roles whose scope is the whole platform; every other role sees its own organisation(s) only.
GLOBAL_ROLES = frozenset(
    {Role.MINISTRY_ADMIN, Role.MINISTRY_OFFICER, Role.COMMITTEE_MEMBER, Role.AUDITOR}
)
MINISTRY_ROLES = frozenset({Role.MINISTRY_ADMIN, Role.MINISTRY_OFFICER})
CTI_ROLES = frozenset({Role.CTI_MANAGER, Role.CTI_STAFF})
EVERY_ROLE = frozenset(Role)
# Roles that never change anything, whatever a model's rule says.
READ_ONLY_ROLES = frozenset(
    {Role.AUDITOR, Role.COMMITTEE_MEMBER, Role.FEDERATION_VIEWER, Role.PARTNER_VIEWER}
)

# Which organisation kinds a role may be held in (None: any kind).
ROLE_ORGANISATION_KINDS: dict[Role, frozenset[str] | None] = {
    Role.MINISTRY_ADMIN: frozenset({OrganisationKind.MINISTRY}),
    Role.MINISTRY_OFFICER: frozenset({OrganisationKind.MINISTRY}),
    Role.COMMITTEE_MEMBER: None,
    Role.CTI_MANAGER: frozenset({OrganisationKind.CTI}),
    Role.CTI_STAFF: frozenset({OrganisationKind.CTI}),
    Role.FEDERATION_VIEWER: frozenset({OrganisationKind.FEDERATION}),
    Role.CID_MANAGER: frozenset({OrganisationKind.CID}),
    Role.PARTNER_VIEWER: frozenset({OrganisationKind.PARTNER, OrganisationKind.NETWORK}),
    Role.AUDITOR: None,
}
