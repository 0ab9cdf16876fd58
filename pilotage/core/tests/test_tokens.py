"""Personal API tokens: shown once, stored hashed, revocable."""

import hashlib

from django.urls import reverse

from pilotage.core.models import ApiToken
from pilotage.core.testing import sign_in


def test_a_token_is_shown_once_stored_hashed_and_works(cast, client):
    page = sign_in(client, cast.cti_a_staff, second_factor=True).post(
        reverse("core:token_list"), {"name": "export script"}
    )
    key = page.context["new_key"]
    token = ApiToken.objects.get(user=cast.cti_a_staff)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in client.get(reverse("core:token_list")).content.decode()
    client.logout()
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"})
    assert response.json()["email"] == cast.cti_a_staff.email
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_gets_401(cast, client):
    page = sign_in(client, cast.cti_a_staff, second_factor=True).post(
        reverse("core:token_list"), {"name": "tmp"}
    )
    key = page.context["new_key"]
    token = ApiToken.objects.get(user=cast.cti_a_staff)
    client.post(reverse("core:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.history.latest().history_user == cast.cti_a_staff
    client.logout()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_a_deactivated_users_token_gets_401(cast, client):
    key = (
        sign_in(client, cast.cti_a_staff, second_factor=True)
        .post(reverse("core:token_list"), {"name": "t"})
        .context["new_key"]
    )
    cast.cti_a_staff.is_active = False
    cast.cti_a_staff.save()
    client.logout()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_a_token_needs_a_name(cast, client):
    response = sign_in(client, cast.cti_a_staff, second_factor=True).post(
        reverse("core:token_list"), {"name": ""}
    )
    assert response.status_code == 422 and not ApiToken.objects.exists()
