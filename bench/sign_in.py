"""The cost of one sign-in, as production serves it: the sign-in form posted through every
middleware (django-axes, sessions, the user's language) with the production password hasher,
against its floor, the password check alone. Fifty people signing in at once on two cores wait
about 50 × this ÷ 2 (measured by hand with gunicorn: see the issue 10 note)."""

from django.contrib.auth.hashers import check_password, make_password
from django.test import Client

from bench.common import bench_officer, medians, ratio_row, served_as_in_production

PASSWORD = "bench-sign-in-2025"
SIGN_INS = 20


def run() -> list[dict]:
    officer, _ministry = bench_officer()
    officer.set_password(PASSWORD)  # with the configured hasher (Argon2id)
    officer.save(update_fields=["password"])
    stored = make_password(PASSWORD)
    with served_as_in_production():

        def sign_ins() -> None:
            for _n in range(SIGN_INS):
                response = Client().post(
                    "/accounts/login/", {"username": officer.email, "password": PASSWORD}
                )
                assert response.status_code == 302, response.status_code

        def hashes() -> None:
            for _n in range(SIGN_INS):
                assert check_password(PASSWORD, stored)

        ours, floor = medians(sign_ins, hashes, runs=3)
    return [ratio_row("sign-in (form, middleware, hasher) vs the hash alone", SIGN_INS,
                      ours, floor, None)]  # fmt: skip
