# Messages are asserted in English here too, as in the services register's tests.
from pilotage.prestations.tests.conftest import _in_english  # noqa: F401
