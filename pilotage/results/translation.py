from pilotage.core.translation import register_translated
from pilotage.results.models import Indicator, Objective

register_translated(Indicator, ("name", "unit", "numerator_label", "denominator_label"))
register_translated(Objective, ("title",))
