"""Every page carries a Content-Security-Policy without inline script, and a Permissions-Policy;
no template holds inline script or an inline event handler the policy would block."""

import re
from pathlib import Path

from django.test import Client

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_pages_carry_the_policies(db):
    response = Client().get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy)[1]
    assert "'self'" in script_src and "'unsafe-inline'" not in script_src
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_template_holds_inline_script_or_an_event_handler():
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        if (
            re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text)
            or re.search(r"\son[a-z]+\s*=", text)
            or "hx-on" in text
        ):
            offenders.append(str(template.relative_to(TEMPLATES)))
    assert offenders == []
