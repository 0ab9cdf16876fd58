"""The HTTP API (`/api/v1/`): one NinjaAPI object; each app contributes its router (app/api.py).

Errors are mapped to HTTP here and only here: ServiceError codes (404 for rows the caller may not
see, 403, 409, 422 with field-level messages in the caller's language).
"""

from typing import Any

from django.db import DataError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from pilotage.api.auth import API_AUTH
from pilotage.core.errors import ErrorCode, ServiceError


class ObjectParser(Parser):
    """Every body this API takes is a JSON object. A schema reads its fields off whatever it is
    given, so an array came through as an empty change (200, nothing done): refuse it instead."""

    def parse_body(self, request: HttpRequest) -> dict:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("the body must be a JSON object")
        return data


# The answers any operation may give besides its own, with the one error body the handlers below
# send: a client generated from the document knows them all.
ERROR_ANSWERS = {
    "400": "The request cannot be read.",
    "401": "No valid session or API token.",
    "403": "The caller may not do this.",
    "404": "Not found, or not visible to the caller.",
    "409": "The change conflicts with existing data or exceeds a ceiling.",
    "413": "The request body is over the upload limit.",
    "422": "A parameter or a field is invalid (field-level messages in `errors`).",
    "429": "Too many requests: try again later.",
}
ERROR_BODY = {
    "title": "Error",
    "type": "object",
    "required": ["code", "message", "errors"],
    "properties": {
        "code": {"type": "string", "description": "invalid, not_found, forbidden, conflict, …"},
        "message": {"type": "string", "description": "In the caller's language."},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "Messages by field name (`__all__` for the whole request).",
        },
    },
}


class PilotageAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_BODY
        reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                answers = operation.setdefault("responses", {})
                for status, description in ERROR_ANSWERS.items():
                    answers.setdefault(status, {"description": description, "content": reference})
        return schema


api = PilotageAPI(
    title="Pilotage CTI API",
    version="1",
    description=(
        "Plans, contracts, KPIs, the FACET fund and services of Morocco's industrial technical "
        "centres. Authenticate with your browser session or a personal token "
        "(`Authorization: Bearer pct_…`, created on the API tokens page)."
    ),
    auth=API_AUTH,
    urls_namespace="api",
    docs=Swagger(settings={"persistAuthorization": False}),
    parser=ObjectParser(),
)

# Pydantic's messages are English; these say the same in the caller's language.
_PYDANTIC_MESSAGES = {
    "missing": lambda: _("This field is required."),
    "string_type": lambda: _("Enter text."),
    "int_parsing": lambda: _("Enter a whole number."),
    "int_type": lambda: _("Enter a whole number."),
    "bool_parsing": lambda: _("Enter true or false."),
    "bool_type": lambda: _("Enter true or false."),
    "decimal_parsing": lambda: _("Enter a number."),
    "list_type": lambda: _("Enter a list."),
    "string_too_long": lambda: _("This text is too long."),
    "json_invalid": lambda: _("The request body is not valid JSON."),
}


def _field_errors(exc: NinjaValidationError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        # loc is e.g. ("body", "payload", "federations", 0): the field is the first named part.
        location = [
            part for part in error.get("loc", ())
            if isinstance(part, str) and part not in ("body", "payload", "query", "path", "filters")
        ]  # fmt: skip
        field = location[0] if location else "__all__"
        message = _PYDANTIC_MESSAGES.get(error.get("type", ""), lambda: _("Enter a valid value."))
        errors.setdefault(field, []).append(str(message()))
    return errors


@api.exception_handler(ServiceError)
def service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(NinjaValidationError)
def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    error = ServiceError(ErrorCode.INVALID, field_errors=_field_errors(exc))
    return api.create_response(request, error.as_dict(), status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja's own refusals (an unreadable body) in the API's one error shape.
    code = "invalid" if exc.status_code in (400, 422) else "error"
    message = (
        _("The request body is not a valid JSON object.") if exc.status_code == 400 else str(exc)
    )
    body = {"code": code, "message": message, "errors": {}}
    return api.create_response(
        request, body, status=422 if exc.status_code == 400 else exc.status_code
    )


@api.exception_handler(DataError)
def data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
    # The database refused a value the schema let through (an id or a number past its integer
    # range): the caller's input, so a 422 like any other invalid value, never a 500.
    body = {"code": "invalid", "message": _("A value is out of range."), "errors": {}}
    return api.create_response(request, body, status=422)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    body = {
        "code": "unauthenticated",
        "message": _("Sign in or send a valid API token."),
        "errors": {},
    }
    return api.create_response(request, body, status=401)


def _register_routers() -> None:
    from pilotage.certification.api import router as certification_router
    from pilotage.core.api import router as core_router
    from pilotage.dashboards.api import router as dashboards_router
    from pilotage.fund.api import router as fund_router
    from pilotage.governance.api import router as governance_router
    from pilotage.prestations.api import router as services_router
    from pilotage.programmes.api import router as programmes_router
    from pilotage.projects.api import router as projects_router
    from pilotage.reports.api import router as reports_router
    from pilotage.results.api import router as results_router
    from pilotage.standards.api import router as standards_router
    from pilotage.training.api import router as training_router

    api.add_router("/", core_router)
    api.add_router("/", programmes_router)
    api.add_router("/", results_router)
    api.add_router("/", governance_router)
    api.add_router("/", services_router)
    api.add_router("/", fund_router)
    api.add_router("/", certification_router)
    api.add_router("/", standards_router)
    api.add_router("/", projects_router)
    api.add_router("/", training_router)
    api.add_router("/", reports_router)
    api.add_router("/", dashboards_router)


_register_routers()
