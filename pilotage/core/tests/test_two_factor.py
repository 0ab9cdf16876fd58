"""Two-factor authentication: required for ministry roles and administrators, offered to everyone,
asked before the admin opens and before an API token is issued; the demo's accounts skip it while
their exemption is on (the default; production turns it off). Every step goes through the pages,
as people take it."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from pilotage.core import testing
from pilotage.core.audit import history_of
from pilotage.core.models import ApiToken
from pilotage.core.testing import authenticator_code

PASSWORD = "correct-horse-battery"
SETUP = reverse("core:two_factor_setup")
VERIFY = reverse("core:two_factor_verify")


def sign_in(client, user):
    return client.post(reverse("login"), {"username": user.email, "password": PASSWORD})


def enrol(client, user) -> list[str]:
    """Set up the app through the set-up page; returns the recovery codes it shows once."""
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    shown = client.post(SETUP, {"code": authenticator_code(device), "next": "/"})
    assert shown.status_code == 200, shown.content.decode()
    return re.findall(r"<li class=\"col\">([a-z2-7]{4}-[a-z2-7]{4})</li>", shown.content.decode())


def test_a_ministry_officer_must_set_it_up_before_anything_else(cast, client):
    sign_in(client, cast.officer)
    page = client.get(reverse("fund:overview"))
    assert page.status_code == 302 and page["Location"].startswith(SETUP)
    assert "next=%2Ffund%2F" in page["Location"]
    api = client.get("/api/v1/me")
    assert api.status_code == 403 and api.json()["code"] == "forbidden"
    setup = client.get(page["Location"])
    assert setup.status_code == 200
    body = setup.content.decode()
    assert "<svg" in body and 'id="totp-secret"' in body and "style=" not in body.split("<main")[1]
    assert setup["Cache-Control"] == "no-store"


def test_the_set_up_refuses_a_wrong_code_and_then_turns_it_on_with_ten_recovery_codes(cast, client):
    sign_in(client, cast.officer)
    client.get(SETUP)
    refused = client.post(SETUP, {"code": "000000"})
    assert refused.status_code == 422
    assert "horloge" in refused.content.decode()  # French: check the phone's clock
    assert not TOTPDevice.objects.filter(user=cast.officer, confirmed=True).exists()

    codes = enrol(client, cast.officer)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get(reverse("fund:overview")).status_code == 200
    cast.officer.refresh_from_db()
    assert cast.officer.two_factor_since is not None
    entry = history_of(cast.officer, cast.admin)[0]
    assert entry.author == cast.officer.full_name
    assert entry.reason == "Application d'authentification configurée"
    changed = {change.field: change for change in entry.changes}
    assert changed["two_factor_since"].old is None and changed["two_factor_since"].new
    assert "recovery_codes_issued_at" in changed


def test_an_enrolled_person_types_a_code_after_the_password(cast, client):
    sign_in(client, cast.officer)
    enrol(client, cast.officer)
    client.post(reverse("logout"))

    sign_in(client, cast.officer)
    asked = client.get(reverse("home"))
    assert asked.status_code == 302 and asked["Location"].startswith(VERIFY)
    wrong = client.post(VERIFY, {"code": "123456", "next": "/fund/"})
    assert wrong.status_code == 422
    assert client.get(reverse("home")).status_code == 302
    device = TOTPDevice.objects.get(user=cast.officer)
    device.throttling_failure_timestamp = timezone.now() - timedelta(minutes=1)
    device.save()
    right = client.post(VERIFY, {"code": authenticator_code(device), "next": "/fund/"})
    assert right.status_code == 302 and right["Location"] == "/fund/"
    assert client.get(reverse("home")).status_code == 200


def test_wrong_codes_make_the_next_try_wait_even_with_the_right_code(cast, client):
    sign_in(client, cast.officer)
    enrol(client, cast.officer)
    client.post(reverse("logout"))
    sign_in(client, cast.officer)
    for _attempt in range(4):
        client.post(VERIFY, {"code": "000000"})
    device = TOTPDevice.objects.get(user=cast.officer)
    throttled = client.post(VERIFY, {"code": authenticator_code(device)})
    assert throttled.status_code == 429
    assert "secondes" in throttled.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_the_next_address_cannot_send_the_person_elsewhere(cast, client):
    sign_in(client, cast.officer)
    enrol(client, cast.officer)
    client.post(reverse("logout"))
    sign_in(client, cast.officer)
    device = TOTPDevice.objects.get(user=cast.officer)
    answer = client.post(VERIFY, {"code": authenticator_code(device), "next": "https://evil.test/"})
    assert answer["Location"] == reverse("home")


def test_a_recovery_code_opens_the_account_once(cast, client):
    sign_in(client, cast.officer)
    codes = enrol(client, cast.officer)
    client.post(reverse("logout"))

    sign_in(client, cast.officer)
    used = client.post(VERIFY, {"code": codes[0].upper().replace("-", " "), "next": "/"})
    assert used.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert StaticDevice.objects.get(user=cast.officer).token_set.count() == 9
    client.post(reverse("logout"))

    sign_in(client, cast.officer)
    again = client.post(VERIFY, {"code": codes[0]})
    assert again.status_code == 422


def test_new_recovery_codes_replace_the_old_ones_and_show_in_the_history(cast, client):
    sign_in(client, cast.officer)
    old = enrol(client, cast.officer)
    fresh = client.post(reverse("core:two_factor_codes"))
    assert fresh["Cache-Control"] == "no-store"
    new = re.findall(r"<li class=\"col\">([a-z2-7]{4}-[a-z2-7]{4})</li>", fresh.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    client.post(reverse("logout"))
    sign_in(client, cast.officer)
    assert client.post(VERIFY, {"code": old[1]}).status_code == 422
    reasons = [record.history_change_reason for record in cast.officer.history.all()]
    assert "Nouveaux codes de secours" in reasons


def test_replacing_the_app_needs_a_code_from_the_current_one(cast, client):
    sign_in(client, cast.officer)
    enrol(client, cast.officer)
    first = TOTPDevice.objects.get(user=cast.officer, confirmed=True)
    client.post(reverse("logout"))
    sign_in(client, cast.officer)
    # Only the password given: the set-up page sends to the code page, nothing is replaced.
    assert client.get(SETUP)["Location"].startswith(VERIFY)
    assert client.post(SETUP, {"code": "000000"})["Location"].startswith(VERIFY)
    client.post(VERIFY, {"code": authenticator_code(first)})
    enrol(client, cast.officer)
    assert list(TOTPDevice.objects.filter(user=cast.officer)) != [first]
    assert TOTPDevice.objects.filter(user=cast.officer).count() == 1


def test_cti_staff_may_work_without_it_but_need_it_for_an_api_token(cast, client):
    sign_in(client, cast.cti_a_staff)
    assert client.get(reverse("home")).status_code == 200
    page = client.get(reverse("core:token_list"))
    assert 'id="token-needs-two-factor"' in page.content.decode()
    refused = client.post(reverse("core:token_list"), {"name": "script"})
    assert refused.status_code == 403 and not ApiToken.objects.exists()

    enrol(client, cast.cti_a_staff)
    issued = client.post(reverse("core:token_list"), {"name": "script"})
    assert issued.status_code == 200 and ApiToken.objects.filter(user=cast.cti_a_staff).exists()


def test_staff_who_chose_it_may_turn_it_off_but_an_officer_may_not(cast, client):
    sign_in(client, cast.cti_a_staff)
    enrol(client, cast.cti_a_staff)
    client.post(reverse("core:two_factor_disable"))
    assert not TOTPDevice.objects.filter(user=cast.cti_a_staff).exists()
    cast.cti_a_staff.refresh_from_db()
    assert cast.cti_a_staff.two_factor_since is None
    client.post(reverse("logout"))

    sign_in(client, cast.officer)
    enrol(client, cast.officer)
    refused = client.post(reverse("core:two_factor_disable"), follow=True)
    assert "remplacez" in refused.content.decode().lower()
    assert TOTPDevice.objects.filter(user=cast.officer).exists()


def test_an_administrator_resets_it_for_someone_who_lost_their_phone(cast, client):
    sign_in(client, cast.officer)
    enrol(client, cast.officer)
    admin = testing.sign_in(Client(), cast.admin)
    url = reverse("core:user_two_factor_reset", args=[cast.officer.pk])
    assert admin.post(url, {"reason": ""}).status_code == 302
    assert TOTPDevice.objects.filter(user=cast.officer).exists()  # no reason, nothing done
    admin.post(url, {"reason": "téléphone perdu"})
    assert not TOTPDevice.objects.filter(user=cast.officer).exists()
    record = cast.officer.history.latest()
    assert record.history_user == cast.admin and record.history_change_reason == "téléphone perdu"
    # The officer's open session now owes a new set-up.
    assert client.get(reverse("home"))["Location"].startswith(SETUP)


@pytest.mark.parametrize("person", ["cti_a_manager", "cti_b_staff", "auditor"])
def test_nobody_else_resets_someone_s_second_factor(cast, client, person):
    sign_in(client, cast.officer)
    enrol(client, cast.officer)
    other = testing.sign_in(Client(), getattr(cast, person))
    url = reverse("core:user_two_factor_reset", args=[cast.officer.pk])
    assert other.post(url, {"reason": "x"}).status_code in (403, 404)
    assert TOTPDevice.objects.filter(user=cast.officer, confirmed=True).exists()


def test_the_admin_asks_for_the_second_factor(cast, client):
    sign_in(client, cast.admin)
    assert client.get("/admin/")["Location"].startswith(SETUP)
    enrol(client, cast.admin)
    assert client.get("/admin/").status_code == 200
    client.post(reverse("logout"))
    # The admin's own sign-in form is not a way around the lockout and the code.
    assert client.get("/admin/login/")["Location"].startswith(reverse("login"))


def test_demo_accounts_skip_it_unless_production_turns_that_off(cast, client, settings):
    settings.TWO_FACTOR_DEMO_EXEMPT = True
    sign_in(client, cast.officer)  # officer@test.example: a reserved, never real, domain
    assert client.get(reverse("home")).status_code == 200
    page = client.get(reverse("core:two_factor"))
    assert "Compte de démonstration" in page.content.decode()

    cast.officer.email = "officer@mcinet.gov.ma"
    cast.officer.save()
    assert client.get(reverse("home"))["Location"].startswith(SETUP)

    settings.TWO_FACTOR_DEMO_EXEMPT = False
    cast.officer.email = "officer@test.example"
    cast.officer.save()
    assert client.get(reverse("home"))["Location"].startswith(SETUP)


def test_an_htmx_request_is_sent_to_the_code_page_as_a_whole(cast, client):
    sign_in(client, cast.officer)
    answer = client.get(reverse("fund:overview"), headers={"HX-Request": "true"})
    assert answer.status_code == 204 and answer["HX-Redirect"].startswith(SETUP)
