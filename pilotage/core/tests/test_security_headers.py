"""Every page carries a Content-Security-Policy without inline script, eval or inline style, and a
Permissions-Policy; no template holds inline script, an inline event handler or a style attribute
the policy would block."""

import re
from pathlib import Path

import pytest
from django.test import Client

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def directives(policy: str) -> dict[str, list[str]]:
    """A Content-Security-Policy header's sources by directive (django-csp writes them in any order)."""
    return {name: sources for name, *sources in (d.split() for d in policy.split(";") if d.strip())}


def test_pages_carry_the_policies(db):
    response = Client().get("/accounts/login/")
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["style-src"] == ["'self'"]  # no style attribute or <style> element either
    assert policy["default-src"] == policy["connect-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == policy["form-action"] == ["'self'"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("path", ["/api/v1/docs", "/admin/login/"])
def test_the_api_documentation_and_the_admin_carry_the_same_policy(db, path):
    # Swagger UI and the admin run from static files too: no page is left without a policy.
    assert directives(Client().get(path)["Content-Security-Policy"])["script-src"] == ["'self'"]


def test_no_template_holds_inline_script_an_event_handler_or_a_style_attribute():
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        if (
            re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text)
            or re.search(r"\son[a-z]+\s*=", text)
            or "hx-on" in text
            or re.search(r"\sstyle\s*=|<style", text)
        ):
            offenders.append(str(template.relative_to(TEMPLATES)))
    assert offenders == []
