"""One application error type, with codes shared by the UI and the API (mapped to HTTP in one place)."""

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class ErrorCode(models.TextChoices):
    INVALID = "invalid", _("The data is not valid.")
    NOT_FOUND = "not_found", _("Not found.")
    FORBIDDEN = "forbidden", _("You may not do this.")
    CONFLICT = "conflict", _("This conflicts with existing data.")
    OVER_CEILING = "over_ceiling", _("This would exceed a ceiling.")


HTTP_STATUS = {
    ErrorCode.INVALID: 422,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.CONFLICT: 409,
    ErrorCode.OVER_CEILING: 409,
}


class ServiceError(Exception):
    """A business rule said no. `field_errors` maps form fields to messages (already translated)."""

    def __init__(
        self,
        code: ErrorCode,
        message: "str | Promise | None" = None,
        field_errors: dict[str, list[str]] | None = None,
    ):
        self.code = ErrorCode(code)
        self.message = str(message or self.code.label)
        self.field_errors = field_errors or {}
        super().__init__(self.message)

    @property
    def status(self) -> int:
        return HTTP_STATUS[self.code]

    def as_dict(self) -> dict:
        return {"code": self.code.value, "message": self.message, "errors": self.field_errors}


def refusal(message: str, field: str | None = None, code: ErrorCode = ErrorCode.CONFLICT):
    """A business rule's "no", shown next to `field` on forms when it names one."""
    return ServiceError(code, message, field_errors={field: [message]} if field else None)


class AccessDenied(ServiceError):
    """The user may not see (404) or change (403) the object; services raise it to roll back."""

    def __init__(self, *, visible: bool):
        super().__init__(ErrorCode.FORBIDDEN if visible else ErrorCode.NOT_FOUND)


def form_errors(form) -> ServiceError:
    """A Django form's errors as a ServiceError (messages are already in the user's language)."""
    errors = {field: [str(m) for m in messages] for field, messages in form.errors.items()}
    return ServiceError(ErrorCode.INVALID, field_errors=errors)
