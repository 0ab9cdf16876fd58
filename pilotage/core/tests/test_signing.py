"""Signed tokens (core/signing.py): what this platform signed verifies; one byte changed, another
key's signature or garbage does not; the key comes from the settings or is generated once."""

import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from pilotage.core import signing

PAYLOAD = {"c": 42, "n": "CTPC-2026-0001"}


def test_a_token_verifies_to_what_was_signed():
    assert signing.verify(signing.sign(PAYLOAD)) == PAYLOAD


def test_a_token_altered_by_one_character_anywhere_is_refused():
    """Every position, every other base64 character: including the last one of each part, whose
    spare bits once let an altered token decode to the same bytes and verify."""
    token = signing.sign(PAYLOAD)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    for index, current in enumerate(token):
        if current == ".":
            continue
        for swapped in alphabet.replace(current, ""):
            with pytest.raises(signing.InvalidToken):
                signing.verify(token[:index] + swapped + token[index + 1 :])


def test_a_token_signed_by_another_key_is_refused():
    other = Ed25519PrivateKey.generate()
    body, _signature = signing.sign(PAYLOAD).split(".")
    forged = f"{body}.{signing._b64(other.sign(signing._unb64(body)))}"
    with pytest.raises(signing.InvalidToken):
        signing.verify(forged)
    assert signing.verify(forged, other.public_key()) == PAYLOAD  # the forger's own key would


@pytest.mark.parametrize("garbage", ["", ".", "abc", "a.b.c", "é.é", "W10.AAAA", "bnVsbA.AA"])
def test_garbage_is_refused_not_an_error(garbage):
    with pytest.raises(signing.InvalidToken):
        signing.verify(garbage)


def test_without_a_configured_key_one_is_generated_once_readable_by_its_owner_only(settings):
    first = signing.public_key_pem()
    signing.private_key.cache_clear()
    assert signing.public_key_pem() == first  # read back, not generated again
    mode = stat.S_IMODE(settings.GENERATED_SIGNING_KEY.stat().st_mode)
    assert mode == 0o600


def test_a_configured_key_is_the_one_used(settings):
    key = Ed25519PrivateKey.generate()
    settings.SIGNING_KEY = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()  # fmt: skip
    signing.private_key.cache_clear()
    assert signing.verify(signing.sign(PAYLOAD), key.public_key()) == PAYLOAD
    assert not settings.GENERATED_SIGNING_KEY.exists()
