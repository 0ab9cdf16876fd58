"""ICE numbers (identifiant commun de l'entreprise): checked the same way by the forms, the
services and the imports (domain.md: 15 digits, a ÷97 control that an officer may override)."""

from functools import lru_cache

from django.utils.translation import gettext as _
from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.ma import ice as stdnum_ice


class IceProblem:
    FORMAT = "format"
    CHECKSUM = "checksum"


@lru_cache(maxsize=4096)  # an import checks each ICE of a chunk twice
def ice_check(number: str) -> tuple[str, str | None]:
    """(the ICE compacted to 15 digits, None) if valid; else (compacted, problem, one of
    IceProblem). A bad length or format is always refused; a failed checksum only unless an
    officer overrides it with a reason (`stdnum.ma.ice`'s ÷97 rule is empirical)."""
    compact = stdnum_ice.compact(str(number or ""))
    try:
        return stdnum_ice.validate(compact), None
    except InvalidChecksum:
        return compact, IceProblem.CHECKSUM
    except ValidationError:
        return compact, IceProblem.FORMAT


def ice_message(problem: str) -> str:
    if problem == IceProblem.FORMAT:
        return _("An ICE is made of 15 digits.")
    return _(
        "The control digits of this ICE are wrong (the number is not divisible by 97). Check it; "
        "a ministry officer may accept it with a reason."
    )
