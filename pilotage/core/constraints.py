"""Database constraints whose refusal people read: a check that names the field it is about, so
that forms show it next to that field and the API under its name, in the user's language."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models


class FieldCheckConstraint(models.CheckConstraint):
    """A CheckConstraint whose violation is the error of `field` (with its
    `violation_error_message`), not a nameless error of the whole row."""

    def __init__(self, *, field: str, **kwargs: Any):
        self.field = field
        super().__init__(**kwargs)

    def validate(
        self,
        model: type[models.Model],
        instance: models.Model,
        exclude: set[str] | None = None,
        using: str = DEFAULT_DB_ALIAS,
    ) -> None:
        try:
            super().validate(model, instance, exclude=exclude, using=using)
        except ValidationError as exc:
            raise ValidationError({self.field: exc.error_list}) from None

    def deconstruct(self) -> Any:
        path, args, kwargs = super().deconstruct()
        return path, args, {**kwargs, "field": self.field}

    def __eq__(self, other: object) -> bool:
        return super().__eq__(other) and getattr(other, "field", None) == self.field
