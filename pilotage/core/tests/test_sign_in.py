"""Signing in and out, throttling, password reset, and the language that follows the person."""

import re

from django.core import mail
from django.urls import reverse

PASSWORD = "correct-horse-battery"


def sign_in(client, email, password=PASSWORD):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_it_signs_in_with_e_mail_and_password_and_out_again(cast, client):
    response = sign_in(client, cast.cti_a_staff.email)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    home = client.get(reverse("home"))
    assert cast.cti_a_staff.full_name in home.content.decode()
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_the_e_mail_is_case_insensitive(cast, client):
    assert sign_in(client, cast.cti_a_staff.email.upper()).status_code == 302


def test_a_wrong_password_is_refused_with_a_message_in_french(cast, client):
    response = sign_in(client, cast.cti_a_staff.email, "wrong")
    assert response.status_code == 200
    assert "Saisissez" in response.content.decode()


def test_repeated_failures_lock_the_account_even_with_the_right_password(cast, client):
    for _attempt in range(5):
        sign_in(client, cast.cti_a_staff.email, "wrong")
    locked = sign_in(client, cast.cti_a_staff.email)
    assert locked.status_code == 429
    assert 'id="locked-out"' in locked.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_a_lockout_does_not_touch_other_people(cast, client):
    for _attempt in range(5):
        sign_in(client, cast.cti_a_staff.email, "wrong")
    assert sign_in(client, cast.cti_b_staff.email).status_code == 302


def test_password_reset_sends_a_working_link(cast, client):
    client.post(reverse("password_reset"), {"email": cast.cti_a_staff.email})
    assert len(mail.outbox) == 1
    path = re.search(r"/accounts/password/reset/\S+/\S+/", mail.outbox[0].body).group(0)
    form = client.get(path, follow=True)
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Another-long-secret-9", "new_password2": "Another-long-secret-9"},
    )
    assert done.status_code == 302
    assert sign_in(client, cast.cti_a_staff.email, "Another-long-secret-9").status_code == 302


def test_password_reset_does_not_tell_whether_an_address_exists(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@test.example"})
    assert response.status_code == 302 and mail.outbox == []


def test_pages_are_in_french_by_default(client, db):
    page = client.get(reverse("login"))
    assert '<html lang="fr" dir="ltr">' in page.content.decode()
    assert "Se connecter" in page.content.decode()


def test_arabic_is_right_to_left_with_bootstraps_rtl_build(client, db):
    client.post(reverse("set_language"), {"language": "ar", "next": reverse("login")})
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "bootstrap.rtl.min.css" in page


def test_the_language_choice_sticks_for_the_user_on_another_device(cast, client, client_for):
    client_for(cast.cti_a_staff).post(reverse("set_language"), {"language": "ar", "next": "/"})
    cast.cti_a_staff.refresh_from_db()
    assert cast.cti_a_staff.preferred_language == "ar"
    client.logout()
    client.cookies.clear()
    sign_in(client, cast.cti_a_staff.email)
    assert 'lang="ar"' in client.get(reverse("home")).content.decode()


def test_the_home_page_depends_on_the_role(cast, client_for):
    admin_home = client_for(cast.admin).get(reverse("home")).content.decode()
    assert 'data-role="ministry_admin"' in admin_home and 'href="/admin/"' in admin_home
    staff_home = client_for(cast.cti_a_staff).get(reverse("home")).content.decode()
    assert 'data-role="cti_staff"' in staff_home and 'href="/admin/"' not in staff_home


def test_signing_in_records_the_time_without_an_empty_history_entry(cast, client):
    records = cast.cti_a_staff.history.count()
    sign_in(client, cast.cti_a_staff.email)
    cast.cti_a_staff.refresh_from_db()
    assert cast.cti_a_staff.last_login is not None
    assert cast.cti_a_staff.history.count() == records


def test_an_invited_person_whose_link_expired_can_ask_for_a_new_one(cast, client):
    cast.cti_a_staff.set_unusable_password()
    cast.cti_a_staff.save()
    client.post(reverse("password_reset"), {"email": cast.cti_a_staff.email})
    assert len(mail.outbox) == 1


def test_passwords_are_kept_with_argon2id_and_an_older_pbkdf2_hash_is_upgraded(
    cast, client, settings
):
    from django.contrib.auth.hashers import make_password

    from pilotage import settings as project
    from pilotage.core.hashers import Argon2idHasher

    settings.PASSWORD_HASHERS = project.PASSWORD_HASHERS  # the tests' own is a quick MD5
    user = cast.cti_a_staff
    user.password = make_password("an old password 2019", hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])

    response = client.post(
        "/accounts/login/", {"username": user.email, "password": "an old password 2019"}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert Argon2idHasher().verify("an old password 2019", user.password)


def test_the_lockout_holds_whatever_the_spelling_of_the_address(cast, client):
    email = cast.partner_viewer.email
    spellings = [email, email.capitalize(), email.upper(), f"  {email.swapcase()} "]
    for spelling in spellings:
        sign_in(client, spelling, "wrong")
    # Five failures over four spellings: every spelling, with the right password, is locked.
    sign_in(client, email.title(), "wrong")
    for spelling in [*spellings, email.title()]:
        assert sign_in(client, spelling).status_code == 429
    assert client.get(reverse("home")).status_code == 302


def test_the_lockout_holds_from_another_network_address(cast, client):
    for _attempt in range(5):
        client.post(
            reverse("login"),
            {"username": cast.cti_a_staff.email, "password": "wrong"},
            REMOTE_ADDR="198.51.100.7",
        )
    assert sign_in(client, cast.cti_a_staff.email.upper()).status_code == 429


def test_guesses_at_an_unknown_address_are_throttled_whatever_the_case(client, db):
    for spelling in ["ghost@test.example", "Ghost@test.example", "GHOST@test.example"] * 2:
        response = sign_in(client, spelling, "wrong")
    assert response.status_code == 429


def test_a_password_reset_lifts_a_lockout(cast, client):
    for _attempt in range(5):
        sign_in(client, cast.cti_a_staff.email, "wrong")
    client.post(reverse("password_reset"), {"email": cast.cti_a_staff.email.upper()})
    path = re.search(r"/accounts/password/reset/\S+/\S+/", mail.outbox[0].body).group(0)
    form = client.get(path, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Another-long-secret-9", "new_password2": "Another-long-secret-9"},
    )
    assert sign_in(client, cast.cti_a_staff.email, "Another-long-secret-9").status_code == 302
