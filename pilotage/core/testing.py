"""Test helpers shared by every app: signing in, the fixed cast and the access matrix (DESIGN §5).

The matrix walks every URL pattern and API operation that takes an object id. An app joins it by
(1) naming URL kwargs `pk` (the view's `model`) or `<model_name>_id`, and (2) registering, in its
`tests/factories.py`, how to make a row that belongs to a given CTI with `@owned_object_factory`.
Nothing else: new routes are covered without new test code.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.forms.models import model_to_dict
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.module_loading import autodiscover_modules

from pilotage.core import access


def sign_in(client: Any, user: Any, *, second_factor: bool | None = None) -> Any:
    """Sign `client` in as `user` the way that person gets past the sign-in: with the second
    factor (an authenticator confirmed, a code accepted) when their role requires one, or when
    `second_factor` says so."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from pilotage.core import two_factor

    client.force_login(user)
    fresh = type(user).objects.get(pk=user.pk)  # roles given since `user` was read count too
    if second_factor is None:
        second_factor = two_factor.is_required(fresh)
    if second_factor:
        device = TOTPDevice.objects.filter(user=fresh, confirmed=True).first()
        device = device or TOTPDevice.objects.create(user=fresh, name="authenticator")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def authenticator_code(device: Any) -> str:
    """The code the person's authenticator app shows now, or the next one when this one was
    already accepted (each code is accepted once; the next step is within the tolerance)."""
    import time

    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    totp.drift += max(0, device.last_t + 1 - totp.t())
    return f"{totp.token():0{device.digits}d}"


_owned_factories: dict[type[models.Model], Callable[[Any], models.Model]] = {}


def owned_object_factory(model: type[models.Model]):
    def register(func: Callable[[Any], models.Model]):
        _owned_factories[model] = func
        return func

    return register


@dataclass(frozen=True)
class CreateRoute:
    operation: str  # "POST /api/v1/deliveries"
    model: type[models.Model]
    body: Callable[[Any], dict[str, Any]]  # a body a manager of the given CTI sends successfully


_create_routes: dict[str, CreateRoute] = {}


def create_body(operation: str, model: type[models.Model]):
    """Register, for an API create route, how to write a body a CTI's manager may send: the
    matrix sends it with each of its ids swapped for another CTI's (DESIGN §5's attack)."""

    def register(func: Callable[[Any], dict[str, Any]]):
        _create_routes[operation] = CreateRoute(operation, model, func)
        return func

    return register


def create_routes() -> list[CreateRoute]:
    autodiscover_modules("tests.factories")
    return sorted(_create_routes.values(), key=lambda route: route.operation)


def declared_resources() -> list[Any]:
    """Every resource of the registry (the URL configuration declares them as it loads)."""
    from pilotage.core.registry import registered_resources

    get_resolver().url_patterns  # noqa: B018 (loading it is the point)
    return registered_resources()


def owned_object(model: type[models.Model], cti: Any) -> models.Model:
    autodiscover_modules("tests.factories")
    if model not in _owned_factories:
        raise LookupError(
            f"No @owned_object_factory for {model.__name__}: register one in its app's "
            "tests/factories.py so the access matrix can cover it."
        )
    return _owned_factories[model](cti)


def model_for_kwarg(kwarg: str, view_model: type[models.Model] | None) -> type[models.Model]:
    if kwarg == "pk" and view_model is not None:
        return view_model
    name = kwarg.removesuffix("_id")
    matches = [m for m in access.registered_models() if m._meta.model_name == name]
    if len(matches) != 1:
        raise LookupError(f"URL kwarg {kwarg!r} names no single access-registered model")
    return matches[0]


@dataclass(frozen=True)
class ObjectRoute:
    name: str  # namespaced URL name
    kwarg: str
    model: type[models.Model]
    view: type = object  # the view class (`object` for a plain function)


def _walk(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, inner)
        elif entry.name:
            yield f"{namespace}{entry.name}", entry


def object_routes() -> list[ObjectRoute]:
    """Every named page route with exactly one object id in its path (admin and API apart)."""
    routes = []
    for name, pattern in _walk(get_resolver()):
        if name.startswith(("admin:", "api:")):
            continue
        converters = pattern.pattern.converters
        kwargs = [k for k in converters if k == "pk" or k.endswith("_id")]
        if len(kwargs) != 1:
            continue
        view = getattr(pattern.callback, "view_class", object)
        model = model_for_kwarg(kwargs[0], getattr(view, "model", None))
        routes.append(ObjectRoute(name, kwargs[0], model, view))
    return routes


@dataclass(frozen=True)
class ApiOperation:
    method: str
    path: str  # with `{x_id}` placeholders
    param: str
    model: type[models.Model]
    body_fields: tuple[str, ...]
    placeholder: dict[str, Any]  # a structurally valid body, so refusals cannot come from a 422
    public: bool = False  # open to anonymous visitors: shows published rows only


def api_operations(api: Any) -> list[ApiOperation]:
    schema = api.get_openapi_schema()
    operations = []
    for path, methods in schema["paths"].items():
        for method, spec in methods.items():
            params = [p["name"] for p in spec.get("parameters", []) if p["in"] == "path"]
            if len(params) != 1:
                continue
            body = spec.get("requestBody", {}).get("content", {}).get("application/json", {})
            ref = body.get("schema", {}).get("$ref", "")
            properties: dict[str, Any] = {}
            if ref:
                component = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
                properties = component.get("properties", {})
            placeholder = {name: _placeholder(spec) for name, spec in properties.items()}
            operations.append(
                ApiOperation(
                    method,
                    path,
                    params[0],
                    model_for_kwarg(params[0], None),
                    tuple(properties),
                    placeholder,
                    public=not spec.get("security"),
                )
            )
    return operations


_PLACEHOLDERS = {"string": "x", "integer": 1, "number": 1, "boolean": True, "array": []}


_FORMATS = {"date": "2024-01-01", "date-time": "2024-01-01T00:00:00Z"}


def _placeholder(spec: dict[str, Any]) -> Any:
    for option in [spec, *spec.get("anyOf", [])]:
        if option.get("format") in _FORMATS:
            return _FORMATS[option["format"]]
        if option.get("type") in _PLACEHOLDERS:
            return _PLACEHOLDERS[option["type"]]
    return None


def snapshot(obj: models.Model) -> tuple[dict[str, Any], int]:
    """The row's current values and history length: both must be unchanged after a refused write."""
    fresh = type(obj)._base_manager.get(pk=obj.pk)
    history = fresh.history.count() if hasattr(fresh, "history") else 0
    return model_to_dict(fresh), history


def all_models_registered() -> list[str]:
    """Domain models (ours) that have no access rule: each of them is a defect."""
    missing = []
    for model in apps.get_models():
        if not model.__module__.startswith("pilotage.") or model.__name__.startswith("Historical"):
            continue
        if access.rule_for(model) is None:
            missing.append(model._meta.label)
    return missing
