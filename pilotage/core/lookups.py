"""`field__any=[...]`: the same rows as `__in`, sent to PostgreSQL as one array parameter
(`= ANY(%s)`). Imports look up thousands of keys per chunk: thousands of placeholders cost more to
bind and plan than the search itself."""

from django.db.models import Field
from django.db.models.lookups import In


@Field.register_lookup
class AnyOf(In):
    lookup_name = "any"

    def as_postgresql(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return super().as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = [value for value in self.rhs if value is not None]
        return f"{lhs} = ANY(%s)", (*lhs_params, values)
