from pilotage.core.translation import register_translated
from pilotage.programmes.models import Programme, StrategicAxis

register_translated(Programme, ("title",))
register_translated(StrategicAxis, ("title",))
