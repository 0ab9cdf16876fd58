"""Platform-wide guarantees: deploy checks, admin access, upload limits, money formatting."""

import io
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.urls import reverse

from pilotage.core.money import format_mad, format_mdh

ROOT = Path(__file__).resolve().parents[3]


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    key = tmp_path / "signing.pem"
    key.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )  # fmt: skip
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "a-production-secret-" + "k3y!" * 12,
        "ALLOWED_HOSTS": "pilotage.example.ma",
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_HSTS_SECONDS": "31536000",
        "DATABASE_URL": "sqlite:///:memory:",
        "TWO_FACTOR_DEMO_EXEMPT": "0",
        "SIGNING_KEY_FILE": str(key),
    }
    result = _check_deploy(env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    # Left at its default, the demo accounts' exemption from two-factor authentication is told.
    warned = _check_deploy({k: v for k, v in env.items() if k != "TWO_FACTOR_DEMO_EXEMPT"})
    assert warned.returncode != 0 and "pilotage.W001" in warned.stdout + warned.stderr
    # So is a certificate key generated on the machine rather than given.
    unsigned = _check_deploy({k: v for k, v in env.items() if k != "SIGNING_KEY_FILE"})
    assert unsigned.returncode != 0 and "pilotage.W002" in unsigned.stdout + unsigned.stderr


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


@pytest.mark.parametrize(
    "person, status", [("admin", 200), ("officer", 302), ("cti_a_manager", 302)]
)
def test_the_admin_is_for_ministry_admins(cast, client_for, person, status):
    assert client_for(getattr(cast, person)).get("/admin/").status_code == status


def test_the_admin_lists_through_the_access_rules_and_cannot_delete(cast, client_for):
    client = client_for(cast.admin)
    page = client.get("/admin/core/organisation/")
    assert page.status_code == 200 and b"CETIEV" in page.content
    delete = client.get(f"/admin/core/organisation/{cast.cti_a.pk}/delete/")
    assert delete.status_code == 403


def test_the_admin_is_read_only_so_changes_go_through_the_services(cast, client_for):
    client = client_for(cast.admin)
    url = f"/admin/core/organisation/{cast.cti_b.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "CETIEV renamed", "acronym": "CETIEV", "kind": "cid"})
    assert response.status_code == 403
    cast.cti_b.refresh_from_db()
    assert cast.cti_b.name != "CETIEV renamed"


def test_a_superuser_is_bound_by_rules_that_leave_ministry_admins_out(cast, client_for):
    from pilotage.core.models import ApiToken, User
    from pilotage.core.tests.factories import api_token

    api_token(cast.cti_a_manager)
    token = ApiToken.objects.get()
    root = User.objects.create_superuser("root@test.example", "x", full_name="Root")
    response = client_for(root).post(reverse("core:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_oversized_request_is_refused_before_it_is_read(cast, client_for, settings):
    settings.MAX_UPLOAD_SIZE = 1024
    response = client_for(cast.officer).post(
        reverse("core:organisation_create"), {"name": "x" * 4096, "acronym": "BIG", "kind": "cti"}
    )
    assert response.status_code == 413
    assert "1" in response.content.decode() or response.content


@pytest.mark.parametrize(
    "amount, text",
    [(Decimal("1234567.891"), "1 234 567,89 DH"), (0, "0,00 DH"), (Decimal("-50.5"), "-50,50 DH")],
)
def test_amounts_are_formatted_the_moroccan_way(amount, text):
    assert format_mad(amount).replace("\u00a0", " ") == text


def test_summaries_use_mdh():
    assert format_mdh(Decimal("12500000")).replace("\u00a0", " ") == "12,5 MDH"
    assert format_mdh(Decimal("250000000")).replace("\u00a0", " ") == "250 MDH"


def test_the_demo_loader_is_idempotent_and_attributes_its_changes(db):
    from django.core.management import call_command

    from pilotage.core.models import Membership, Organisation, User
    from pilotage.programmes.models import Agreement, StrategicAxis

    call_command("load_demo", stdout=io.StringIO())
    counts = (Organisation.objects.count(), User.objects.count(), Membership.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert counts == (22, 10, 10)
    assert (Agreement.objects.count(), StrategicAxis.objects.count()) == (21, 5)
    assert (
        Organisation.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
    ) == counts
    ctpc = Organisation.objects.get(acronym="CTPC")
    assert [f.acronym for f in ctpc.federations.all()] == ["FMP"]
    record = ctpc.history.get()
    assert record.history_user.email == "admin@ministere.example"


@pytest.mark.django_db
def test_history_tables_are_indexed_for_how_they_are_read():
    """By object (an object's history page), date and author; not by every copied column, which
    would only slow the writes of an import."""
    from django.apps import apps
    from django.db import connection

    histories = [
        m for m in apps.get_models()
        if m.__name__.startswith("Historical") and any(f.name == "history_date" for f in m._meta.fields)
    ]  # fmt: skip
    assert len(histories) > 20
    with connection.cursor() as cursor:
        for model in histories:
            indexed = {
                tuple(c["columns"])
                for c in connection.introspection.get_constraints(
                    cursor, model._meta.db_table
                ).values()
                if c["index"] or c["primary_key"]
            }
            declared = {
                (model._meta.get_field(name).column,)
                for name in model.instance_type._audited_records.indexed
            }
            expected = {("history_id",), ("id",), ("history_date",), ("history_user_id",)}
            assert indexed == expected | declared, model.__name__
