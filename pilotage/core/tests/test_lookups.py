"""`field__any=[...]` finds the same rows as `field__in=[...]`, whatever the keys are given as."""

import pytest

from pilotage.core.models import Membership, Organisation


@pytest.mark.parametrize(
    "lookup, keys",
    [
        ("pk", lambda cast: [cast.cti_a.pk, cast.cti_b.pk]),  # ids: sent as they are
        ("pk", lambda cast: [str(cast.cti_a.pk), None]),  # prepared one by one, None left out
        ("acronym", lambda cast: ["CTPC", "CETIEV"]),  # codes: sent as they are
        ("acronym", lambda cast: {"CTPC", "CETIEV"}),
        ("acronym", lambda cast: ["CTPC", 7]),  # not all text: prepared one by one
        ("pk", lambda cast: [True]),  # a bool is not an id: prepared as Django would
    ],
)
def test_any_finds_the_same_rows_as_in(cast, lookup, keys):
    wanted = keys(cast)
    found = Organisation.objects.filter(**{f"{lookup}__any": wanted}).order_by("pk")
    expected = Organisation.objects.filter(**{f"{lookup}__in": wanted}).order_by("pk")
    assert list(found) == list(expected) and found.exists() == expected.exists()


def test_any_through_a_foreign_key_takes_its_ids(cast):
    ids = [cast.cti_a.pk]
    found = Membership.objects.filter(organisation__id__any=ids).order_by("pk")
    assert list(found) == list(Membership.objects.filter(organisation__in=ids).order_by("pk"))
    assert found.exists()
