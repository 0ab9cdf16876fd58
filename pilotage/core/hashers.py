"""How passwords are stored: Argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane).

Django's default, PBKDF2 at 1,000,000 iterations, costs ~190 ms of CPU a sign-in here: fifty
people signing in at once on two cores wait ~5 s each. Argon2id at these settings costs ~20 ms
and, being memory-hard, resists GPU guessing better than PBKDF2 does. Existing PBKDF2 hashes
still sign in and are rehashed with Argon2id at that sign-in (Django's `must_update`).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
