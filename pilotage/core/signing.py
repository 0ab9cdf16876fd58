"""Verifiable tokens (DESIGN §2): what a certificate's QR code carries, signed with the platform's
Ed25519 private key so that anyone holding the published public key can check it, online or not.

A token is `<payload>.<signature>`, both base64url without padding; the payload is compact JSON.
The private key comes from `SIGNING_KEY` (PEM text) or `SIGNING_KEY_FILE` (a PEM file, e.g. a
secret mounted by the orchestrator), never from the repository. Without either, a key is
generated once into `GENERATED_SIGNING_KEY` (the demo's own, under `var/`, ignored by git);
`check --deploy` warns until production names one, since a generated key lives on one machine."""

import base64
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings


class InvalidToken(Exception):
    """Not a token this platform signed (altered, forged, or signed by another key)."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    """Decode, refusing any spelling but the one `_b64` writes: the last character of a base64
    text also carries unused bits, so two spellings may decode alike, and a token altered in
    one character must never verify."""
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if _b64(data) != text:
        raise ValueError("not the canonical encoding")
    return data


@cache
def private_key() -> Ed25519PrivateKey:
    pem = settings.SIGNING_KEY.encode() if settings.SIGNING_KEY else _key_file()
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("SIGNING_KEY must be an Ed25519 private key (PEM)")
    return key


def _key_file() -> bytes:
    path = Path(settings.GENERATED_SIGNING_KEY)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        try:
            # O_EXCL: two processes starting together keep one key, the first one written.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(pem)
    return path.read_bytes()


def public_key() -> Ed25519PublicKey:
    return private_key().public_key()


def public_key_pem() -> str:
    return (
        public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def sign(payload: dict[str, Any]) -> str:
    body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    return f"{_b64(body)}.{_b64(private_key().sign(body))}"


def verify(token: str, key: Ed25519PublicKey | None = None) -> dict[str, Any]:
    """The payload of a token signed by `key` (the platform's by default); InvalidToken else."""
    try:
        body_text, signature_text = token.split(".")
        body, signature = _unb64(body_text), _unb64(signature_text)
        (key or public_key()).verify(signature, body)
        payload = json.loads(body)
    except (ValueError, InvalidSignature, UnicodeDecodeError) as exc:
        raise InvalidToken from exc
    if not isinstance(payload, dict):
        raise InvalidToken
    return payload
