"""`field__any=[...]`: the same rows as `__in`, sent to PostgreSQL as one array parameter
(`= ANY(%s)`). Imports look up thousands of keys per chunk: thousands of placeholders cost more to
bind and plan than the search itself."""

from django.db.models import CharField, Field, IntegerField, TextField
from django.db.models.lookups import In

# Keys that reach the database as they are: an int for an integer column, a str for a text one.
PLAIN_KEYS = ((int, IntegerField), (str, (CharField, TextField)))


@Field.register_lookup
class AnyOf(In):
    lookup_name = "any"

    def get_prep_lookup(self):
        # Ids and codes, the common case, need no preparing one by one: for the thousands of
        # keys of a national matrix or an import chunk, that costs more than sending them.
        field = self.lhs.output_field
        if isinstance(self.rhs, (list, set, frozenset, tuple)):
            for kind, fields in PLAIN_KEYS:
                if isinstance(field, fields) and all(type(value) is kind for value in self.rhs):
                    return self.rhs
        return super().get_prep_lookup()

    def as_postgresql(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return super().as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = [value for value in self.rhs if value is not None]
        return f"{lhs} = ANY(%s)", (*lhs_params, values)
