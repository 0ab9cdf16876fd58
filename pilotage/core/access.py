"""THE access rules (DESIGN §5): who may see and change which rows. Nothing else filters by organisation.

Each model declares how its rows relate to organisations with `@access_rule(...)` and uses
`AccessQuerySet` as its default manager; pages, API, exports, admin and form choices then read
through `Model.objects.visible_to(user)` and write through `editable_by(user)`. A model without a
rule is visible to nobody. Roles and scopes:

- global roles (ministry, committee, auditor) reach every organisation;
- CTI, CID and partner roles reach their own organisation;
- a federation viewer reaches the federation and the CTIs it co-manages;
- a rule's `readers` / `editors` say which roles may read / change that model at all; read-only
  roles (auditor, committee, viewers) never change anything, whatever a rule says.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models, transaction
from django.db.models import Q
from django.db.models.constants import LOOKUP_SEP

from pilotage.core.errors import AccessDenied
from pilotage.core.roles import (
    EVERY_ROLE,
    GLOBAL_ROLES,
    MINISTRY_ROLES,
    READ_ONLY_ROLES,
    OrganisationKind,
    Role,
)


@dataclass(frozen=True)
class AccessRule:
    """How one model's rows relate to organisations, and which roles may read or change them."""

    owner: tuple[str, ...]  # lookups from the model to the Organisation(s) a row belongs to
    readers: frozenset[str] = EVERY_ROLE
    editors: frozenset[str] = MINISTRY_ROLES
    directory: bool = False  # every signed-in user reads every row (reference data)
    # Anonymous visitors read every row (True: open data), or only the rows matching a Q
    # (published catalogue entries), which every signed-in user then reads too.
    public: bool | Q = False
    shared: Q | None = None  # rows matching this are read by every signed-in user (plan-wide rows)
    personal: str | None = None  # lookup to a User who always reads the row (their own token)
    personal_edit: bool = False  # ... and may change it


_rules: dict[type[models.Model], AccessRule] = {}
M = TypeVar("M", bound=models.Model)


def access_rule(
    *,
    owner: str | Iterable[str],
    readers: Iterable[str] = EVERY_ROLE,
    editors: Iterable[str] = MINISTRY_ROLES,
    directory: bool = False,
    public: bool | Q = False,
    shared: Q | None = None,
    personal: str | None = None,
    personal_edit: bool = False,
):
    """Class decorator: register the model's access rule."""
    owners = (owner,) if isinstance(owner, str) else tuple(owner)
    editor_roles = frozenset(editors)
    if editor_roles & READ_ONLY_ROLES:
        raise ValueError(f"read-only roles cannot edit: {sorted(editor_roles & READ_ONLY_ROLES)}")

    def register(model: type[models.Model]) -> type[models.Model]:
        _rules[model] = AccessRule(
            owner=owners,
            readers=frozenset(readers),
            editors=editor_roles,
            directory=directory,
            public=public,
            shared=shared,
            personal=personal,
            personal_edit=personal_edit,
        )
        return model

    return register


def rule_for(model: type[models.Model]) -> AccessRule | None:
    return _rules.get(model)


def registered_models() -> list[type[models.Model]]:
    return list(_rules)


@cache
def _multivalued(model: type[models.Model]) -> bool:
    """Does a lookup of the rule cross a to-many relation (so a row may match more than once)?"""
    rule = _rules[model]
    paths = [*rule.owner, *([rule.personal] if rule.personal else [])]
    return any(_crosses_many(model, path) for path in paths)


def _crosses_many(model: type[models.Model], path: str) -> bool:
    current: Any = model
    for name in path.split(LOOKUP_SEP):
        if name == "pk":
            return False
        f = current._meta.get_field(name)
        if f.many_to_many or f.one_to_many:
            return True
        if not f.is_relation:
            return False
        current = f.related_model
    return False


# --- who the user is -------------------------------------------------------------------------


@dataclass(frozen=True)
class Grant:
    role: str
    organisation_id: int
    organisation_kind: str


def grants_of(user: Any) -> list[Grant]:
    """The user's (role, organisation) pairs, read once per request and cached on the user."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_access_grants", None)
    if cached is None:
        cached = [
            Grant(role, org_id, kind)
            for role, org_id, kind in user.memberships.values_list(
                "role", "organisation_id", "organisation__kind"
            )
        ]
        user._access_grants = cached
    return cached


def roles_of(user: Any) -> set[str]:
    if user is not None and user.is_authenticated and user.is_superuser:
        return {Role.MINISTRY_ADMIN}
    return {g.role for g in grants_of(user)}


def has_role(user: Any, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def _reach(user: Any, roles: frozenset[str]) -> tuple[bool, set[int]]:
    """(whole platform?, organisation ids) that the user's grants in `roles` reach."""
    # A superuser is a ministry administrator, no more: rules that leave that role out
    # (someone else's API token, later separation of duties) hold for them too.
    superuser = user is not None and user.is_authenticated and user.is_active and user.is_superuser
    if superuser and Role.MINISTRY_ADMIN in roles:
        return True, set()
    grants = [g for g in grants_of(user) if g.role in roles]
    if any(g.role in GLOBAL_ROLES for g in grants):
        return True, set()
    org_ids = {g.organisation_id for g in grants}
    federations = {g.organisation_id for g in grants if g.role == Role.FEDERATION_VIEWER}
    if federations:
        from pilotage.core.models import Organisation

        org_ids |= set(
            Organisation.objects.filter(
                kind=OrganisationKind.CTI, federations__in=federations
            ).values_list("pk", flat=True)
        )
    return False, org_ids


def reading_reach(user: Any, model: type[models.Model]) -> tuple[bool, set[int]]:
    """(whole platform?, organisation ids) where the user reads rows of `model`: for the few reads
    that cannot go through `visible_to`, such as the history rows of deleted objects."""
    rule = rule_for(model)
    if rule is None or user is None or not user.is_authenticated:
        return False, set()
    return _reach(user, rule.readers)


def _filter(qs: "AccessQuerySet", user: Any, *, write: bool) -> "AccessQuerySet":
    rule = rule_for(qs.model)
    if rule is None:
        return qs.none()
    authenticated = user is not None and user.is_authenticated and user.is_active
    if not write and (rule.public is True or (rule.directory and authenticated)):
        return qs
    published = rule.public if isinstance(rule.public, Q) and not write else None
    if not authenticated:
        return qs.filter(published) if published is not None else qs.none()
    roles = (rule.editors - READ_ONLY_ROLES) if write else rule.readers
    everywhere, org_ids = _reach(user, roles)
    if everywhere:
        return qs
    condition = Q(pk__in=[])
    for path in rule.owner if org_ids else ():
        condition |= Q(**{f"{path}__in": org_ids})
    if rule.personal and (rule.personal_edit or not write):
        condition |= Q(**{rule.personal: user.pk})
    if rule.shared is not None and not write:
        condition |= rule.shared
    if published is not None:
        condition |= published
    model: type[models.Model] = qs.model
    if _multivalued(model):
        # A row reached through several organisations must still come back once.
        return qs.filter(pk__in=model._base_manager.filter(condition).values("pk"))
    return qs.filter(condition)


class AccessQuerySet(models.QuerySet):
    """Default manager of every domain model: the only door for reads and writes."""

    def visible_to(self, user: Any) -> "AccessQuerySet":
        return _filter(self, user, write=False)

    def editable_by(self, user: Any) -> "AccessQuerySet":
        return _filter(self, user, write=True)


# --- actions: workflow steps, one declaration each --------------------------------------------
# A step (submit, validate…) names the roles that take it and what a refusal says. The page
# asks `can()` for its buttons, the API and the service call `ensure_can()`: one rule, three
# places that obey it. Which rows are reached stays with the model's access rule.


@dataclass(frozen=True)
class Action:
    roles: frozenset[str]
    refusal: Any  # the message a refused person reads (lazily translated)


_actions: dict[tuple[type[models.Model], str], Action] = {}


def declare_actions(model: type[models.Model], actions: dict[str, tuple[Iterable[str], Any]]):
    """Register the model's steps: {"submit": (roles, refusal message), …}."""
    for name, (roles, refusal) in actions.items():
        _actions[(model, name)] = Action(frozenset(roles), refusal)


def declared_actions() -> dict[tuple[type[models.Model], str], Action]:
    return dict(_actions)


def actions_of(model: type[models.Model]) -> list[str]:
    return [name for (owner, name) in _actions if owner is model]


def can(user: Any, action: str, target: models.Model | type[models.Model]) -> bool:
    """May the user take this step on this row (or, given a model, on some row of it)?"""
    model = target if isinstance(target, type) else type(target)
    rule = _actions[(model, action)]
    if not bool(roles_of(user) & rule.roles):
        return False
    return isinstance(target, type) or can_view(user, target)


def ensure_can(
    user: Any, action: str, target: models.Model | type[models.Model], field: str | None = None
) -> None:
    """Refuse (403, with the declared message, next to `field` on a form) unless `can`."""
    from pilotage.core.errors import ErrorCode, refusal

    if not can(user, action, target):
        model = target if isinstance(target, type) else type(target)
        raise refusal(str(_actions[(model, action)].refusal), field, code=ErrorCode.FORBIDDEN)


# --- checks used by services and views ------------------------------------------------------


def rows(model: type[models.Model]) -> AccessQuerySet:
    """The model's rows through its access manager (every ruled model has one)."""
    return model._default_manager.all()  # type: ignore[return-value]


def can_view(user: Any, obj: models.Model) -> bool:
    return rows(type(obj)).visible_to(user).filter(pk=obj.pk).exists()


def can_edit(user: Any, obj: models.Model) -> bool:
    return rows(type(obj)).editable_by(user).filter(pk=obj.pk).exists()


def can_create(user: Any, model: type[models.Model]) -> bool:
    """May the user create rows of this model somewhere (the row itself is re-checked on save)."""
    rule = rule_for(model)
    if rule is None or user is None or not user.is_authenticated:
        return False
    return bool(roles_of(user) & (rule.editors - READ_ONLY_ROLES))


def ensure_can_create(user: Any, model: type[models.Model]) -> None:
    if not can_create(user, model):
        raise AccessDenied(visible=True)


def can_write_for(user: Any, model: type[models.Model], organisation: Any) -> bool:
    """May the user write rows of `model` belonging to `organisation` (bulk writes, such as an
    import, check this once instead of re-checking every row they insert)."""
    rule = rule_for(model)
    if rule is None or user is None or not user.is_authenticated:
        return False
    everywhere, org_ids = _reach(user, rule.editors - READ_ONLY_ROLES)
    return everywhere or organisation.pk in org_ids


def writable_organisations(user: Any, model: type[models.Model]) -> models.QuerySet:
    """The organisations for which the user may write rows of `model`: what a form offers when
    it asks "for which CTI?" (offering others would let the form's checks reveal their data)."""
    from pilotage.core.models import Organisation

    rule = rule_for(model)
    if rule is None or user is None or not user.is_authenticated:
        return Organisation.objects.none()
    everywhere, org_ids = _reach(user, rule.editors - READ_ONLY_ROLES)
    return Organisation.objects.all() if everywhere else Organisation.objects.filter(pk__in=org_ids)


def get_visible(model: type[M], user: Any, pk: Any) -> M:
    """Fetch a row the user may see, or raise AccessDenied(404) as if it did not exist."""
    try:
        return rows(model).visible_to(user).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise AccessDenied(visible=False) from None


def get_editable(model: type[M], user: Any, pk: Any) -> M:
    """Fetch a row the user may change: 404 if they cannot see it, 403 if they only can see it."""
    obj = get_visible(model, user, pk)
    if not can_edit(user, obj):
        raise AccessDenied(visible=True)
    return obj


def ensure_editable(user: Any, obj: models.Model) -> None:
    """Re-check a row after saving it, inside the service's transaction: outside the user's reach,
    the whole transaction rolls back (a posted id of another CTI's record, say)."""
    assert transaction.get_connection().in_atomic_block, "call ensure_editable inside atomic()"
    if not can_edit(user, obj):
        raise AccessDenied(visible=can_view(user, obj))
