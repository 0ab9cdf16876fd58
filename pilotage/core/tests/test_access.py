"""The access rules themselves: scopes per role, read-only roles, and models without a rule."""

import pytest
from django.db import transaction

from pilotage.core import access
from pilotage.core.errors import AccessDenied
from pilotage.core.models import ApiToken, Membership, Organisation, User
from pilotage.core.testing import all_models_registered, owned_object
from pilotage.core.tests.factories import api_token


def test_every_domain_model_has_an_access_rule():
    assert all_models_registered() == []


def test_a_model_without_a_rule_is_visible_to_nobody(cast):
    from django.contrib.sessions.models import Session

    queryset = access.AccessQuerySet(model=Session)
    assert access.rule_for(Session) is None
    assert queryset.visible_to(cast.admin).query.is_empty()


def test_the_directory_is_read_by_everyone_signed_in_but_not_by_visitors(cast):
    from django.contrib.auth.models import AnonymousUser

    assert Organisation.objects.visible_to(cast.cti_b_staff).count() == 8
    assert Organisation.objects.visible_to(AnonymousUser()).count() == 0


@pytest.mark.parametrize(
    "person, editable",
    [("admin", True), ("officer", True), ("auditor", False), ("committee", False),
     ("cti_a_manager", False), ("cti_b_staff", False), ("federation_viewer", False)],
)  # fmt: skip
def test_only_ministry_roles_edit_organisations(cast, person, editable):
    assert access.can_edit(getattr(cast, person), cast.cti_a) is editable


def test_a_cti_manager_sees_the_people_of_their_cti_only(cast):
    visible = set(User.objects.visible_to(cast.cti_a_manager))
    assert cast.cti_a_staff in visible and cast.cti_a_manager in visible
    assert cast.cti_b_staff not in visible and cast.officer not in visible


def test_cti_staff_see_only_themselves_among_people(cast):
    assert list(User.objects.visible_to(cast.cti_a_staff)) == [cast.cti_a_staff]


def test_a_federation_viewer_reaches_the_ctis_it_co_manages(cast):
    everywhere, org_ids = access._reach(cast.federation_viewer, access.EVERY_ROLE)
    assert not everywhere
    assert org_ids == {cast.federation_b.pk, cast.cti_b.pk}


def test_global_roles_see_every_membership(cast):
    assert Membership.objects.visible_to(cast.auditor).count() == Membership.objects.count()
    assert Membership.objects.editable_by(cast.auditor).count() == 0


def test_a_user_matched_through_several_memberships_comes_back_once(cast):
    from pilotage.core.roles import Role
    from pilotage.core.tests.factories import MembershipFactory

    MembershipFactory(user=cast.cti_a_staff, organisation=cast.cti_a, role=Role.CTI_MANAGER)
    rows = list(User.objects.visible_to(cast.cti_a_manager).filter(pk=cast.cti_a_staff.pk))
    assert rows == [cast.cti_a_staff]


def test_tokens_are_private_to_their_owner_and_visible_to_auditors(cast):
    api_token(cast.cti_a_staff)
    token = ApiToken.objects.get()
    assert access.can_edit(cast.cti_a_staff, token)
    assert not access.can_view(cast.cti_a_manager, token)
    assert not access.can_view(cast.admin, token)
    assert access.can_view(cast.auditor, token) and not access.can_edit(cast.auditor, token)


def test_read_only_roles_cannot_be_declared_editors():
    from pilotage.core.roles import Role

    with pytest.raises(ValueError, match="read-only"):
        access.access_rule(owner="pk", editors={Role.AUDITOR})


def test_ensure_editable_rolls_back_a_write_outside_the_users_reach(cast):
    with pytest.raises(AccessDenied), transaction.atomic():
        Organisation.objects.filter(pk=cast.cti_b.pk).update(city="Tanger")
        access.ensure_editable(cast.cti_a_manager, cast.cti_b)
    cast.cti_b.refresh_from_db()
    assert cast.cti_b.city == "Casablanca"


def test_grants_are_read_once_per_user_object(cast, django_assert_num_queries):
    user = User.objects.get(pk=cast.cti_a_manager.pk)
    with django_assert_num_queries(1):
        access.grants_of(user)
        access.grants_of(user)


@pytest.mark.parametrize(
    "person, step, allowed",
    [
        ("cti_a_manager", "submit", True), ("cti_a_staff", "submit", False),
        ("cti_a_staff", "enter", True), ("officer", "enter", False),
        ("officer", "review", True), ("auditor", "review", False),
        ("committee", "revise", False), ("cti_a_staff", "revise", True),
    ],
)  # fmt: skip
def test_a_step_is_open_to_its_declared_roles_only(cast, person, step, allowed):
    from pilotage.results.models import Measurement

    assert access.can(getattr(cast, person), step, Measurement) is allowed


def test_a_step_on_a_row_also_needs_the_row_in_reach(cast):
    from pilotage.core.errors import ServiceError
    from pilotage.results.models import Measurement

    value = owned_object(Measurement, cast.cti_a)
    assert access.can(cast.cti_a_manager, "submit", value)
    assert not access.can(cast.cti_b_manager, "submit", value)
    with pytest.raises(ServiceError) as refused:
        access.ensure_can(cast.cti_a_staff, "submit", value)
    assert refused.value.status == 403 and "responsable" in refused.value.message
