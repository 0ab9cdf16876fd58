"""People: invitations, roles (memberships), profile, and the rules that guard them."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from pilotage.core.models import Membership, User


def invite(client, **overrides):
    data = {"email": "new.person@test.example", "full_name": "Nouvelle Personne",
            "role": "cti_staff", "preferred_language": "fr", "reason": "recrutement"}  # fmt: skip
    data.update(overrides)
    return client.post(reverse("core:user_invite"), data)


def test_an_admin_invites_a_person_who_gets_a_link_to_choose_a_password(
    cast, client_for, django_capture_on_commit_callbacks
):
    client = client_for(cast.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, organisation=cast.cti_a.pk)
    person = User.objects.get(email="new.person@test.example")
    assert response.status_code == 302 and response["Location"] == person.get_absolute_url()
    assert not person.has_usable_password()
    assert list(person.memberships.values_list("organisation__acronym", "role")) == [
        ("CTPC", "cti_staff")
    ]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new.person@test.example"]
    link = re.search(r"http://\S+/accounts/password/reset/\S+/", mail.outbox[0].body).group(0)

    client.logout()
    path = link.split("//", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-long-Passphrase-42", "new_password2": "a-long-Passphrase-42"},
    )
    assert done.status_code == 302
    signed_in = client.post(
        reverse("login"),
        {"username": "new.person@test.example", "password": "a-long-Passphrase-42"},
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == reverse("home")


def test_the_invitation_is_in_the_history_with_who_and_why(cast, client_for):
    invite(client_for(cast.admin), organisation=cast.cti_a.pk)
    person = User.objects.get(email="new.person@test.example")
    record = person.history.earliest()
    assert record.history_user == cast.admin and record.history_change_reason == "recrutement"
    membership = Membership.history.filter(user_id=person.pk).get()
    assert membership.history_user == cast.admin


def test_a_role_must_fit_the_organisation_kind(cast, client_for):
    response = invite(client_for(cast.admin), organisation=cast.federation_a.pk, role="cti_manager")
    assert response.status_code == 422
    assert response.context["form"].errors["role"]
    assert not User.objects.filter(email="new.person@test.example").exists()
    assert mail.outbox == []


def test_an_e_mail_already_used_is_refused(cast, client_for):
    response = invite(
        client_for(cast.admin), organisation=cast.cti_a.pk, email=cast.cti_b_staff.email
    )
    assert response.status_code == 422
    assert "email" in response.context["form"].errors


@pytest.mark.parametrize("person", ["officer", "cti_a_manager", "auditor"])
def test_only_ministry_admins_invite(cast, client_for, person):
    response = invite(client_for(getattr(cast, person)), organisation=cast.cti_a.pk)
    assert response.status_code == 403
    assert not User.objects.filter(email="new.person@test.example").exists()


def test_an_admin_adds_and_removes_a_role_with_a_reason(cast, client_for):
    client = client_for(cast.admin)
    client.post(
        reverse("core:membership_add", args=[cast.cti_a_staff.pk]),
        {"organisation": cast.cti_a.pk, "role": "cti_manager", "reason": "promotion"},
    )
    membership = Membership.objects.get(user=cast.cti_a_staff, role="cti_manager")
    client.post(reverse("core:membership_remove", args=[membership.pk]), {"reason": "erreur"})
    assert not Membership.objects.filter(pk=membership.pk).exists()
    deleted = Membership.history.filter(id=membership.pk, history_type="-").get()
    assert deleted.history_user == cast.admin and deleted.history_change_reason == "erreur"


def test_an_admin_cannot_remove_their_own_admin_role(cast, client_for):
    own = cast.admin.memberships.get()
    response = client_for(cast.admin).post(
        reverse("core:membership_remove", args=[own.pk]), follow=True
    )
    assert Membership.objects.filter(pk=own.pk).exists()
    assert any("administrat" in str(m) for m in response.context["messages"])


def test_the_people_list_is_scoped(cast, client_for):
    page = client_for(cast.cti_a_manager).get(reverse("core:user_list"))
    emails = {obj.email for obj, _cells in page.context["rows"]}
    assert emails == {cast.cti_a_manager.email, cast.cti_a_staff.email}


def test_cti_staff_do_not_see_the_people_menu_entry(cast, client_for):
    page = client_for(cast.cti_a_staff).get(reverse("home"))
    assert f'href="{reverse("core:user_list")}"' not in page.content.decode()
    manager_page = client_for(cast.cti_a_manager).get(reverse("home"))
    assert f'href="{reverse("core:user_list")}"' in manager_page.content.decode()


def test_a_person_edits_their_own_name_and_language_but_not_their_status(cast, client_for):
    client = client_for(cast.cti_a_staff)
    url = reverse("core:user_edit", args=[cast.cti_a_staff.pk])
    client.post(url, {"full_name": "Leila B.", "preferred_language": "en"})
    cast.cti_a_staff.refresh_from_db()
    assert cast.cti_a_staff.full_name == "Leila B." and cast.cti_a_staff.is_active
    assert cast.cti_a_staff.preferred_language == "en"


def test_the_people_list_shows_only_roles_the_viewer_may_see(cast, client_for):
    from pilotage.core.tests.factories import MembershipFactory

    MembershipFactory(user=cast.cti_a_staff, organisation=cast.cid, role="cid_manager")
    page = client_for(cast.cti_a_manager).get(reverse("core:user_list"), {"q": "staff.a"})
    [(_obj, cells)] = page.context["rows"]
    assert "CTPC" in cells[2] and "CID" not in cells[2]


def test_people_filters_do_not_reveal_roles_held_elsewhere(cast, client_for):
    from pilotage.core.tests.factories import MembershipFactory

    MembershipFactory(user=cast.cti_a_staff, organisation=cast.cti_b, role="cti_manager")
    client = client_for(cast.cti_a_manager)
    by_other_cti = client.get(reverse("core:user_list"), {"organisation": cast.cti_b.pk})
    assert by_other_cti.context["rows"] == []  # CETIEV is not even a valid choice for them
    by_role = client.get(reverse("core:user_list"), {"role": "cti_manager"})
    assert [obj for obj, _cells in by_role.context["rows"]] == [cast.cti_a_manager]


def test_organisation_and_role_filters_match_the_same_membership(cast, client_for):
    from pilotage.core.tests.factories import MembershipFactory

    MembershipFactory(user=cast.cti_a_staff, organisation=cast.cti_b, role="cti_manager")
    page = client_for(cast.admin).get(
        reverse("core:user_list"), {"organisation": cast.cti_a.pk, "role": "cti_manager"}
    )
    assert [obj for obj, _cells in page.context["rows"]] == [cast.cti_a_manager]


def test_the_persons_history_shows_roles_given_and_removed_with_reasons(cast, client_for):
    admin = client_for(cast.admin)
    admin.post(
        reverse("core:membership_add", args=[cast.cti_a_staff.pk]),
        {"organisation": cast.cti_a.pk, "role": "cti_manager", "reason": "promotion"},
    )
    membership = Membership.objects.get(user=cast.cti_a_staff, role="cti_manager")
    admin.post(reverse("core:membership_remove", args=[membership.pk]), {"reason": "erreur"})

    page = client_for(cast.auditor).get(reverse("core:user_history", args=[cast.cti_a_staff.pk]))
    rows = [(r.history_type, r.role, r.history_change_reason) for r in page.context["roles"]]
    assert rows[:2] == [("-", "cti_manager", "erreur"), ("+", "cti_manager", "promotion")]


def test_role_history_elsewhere_stays_hidden_from_a_cti_manager(cast, client_for):
    from pilotage.core.tests.factories import MembershipFactory

    MembershipFactory(user=cast.cti_a_staff, organisation=cast.cid, role="cid_manager")
    page = client_for(cast.cti_a_manager).get(
        reverse("core:user_history", args=[cast.cti_a_staff.pk])
    )
    assert {r.organisation_id for r in page.context["roles"]} == {cast.cti_a.pk}
