"""The resource registry: one declaration per model, from which come its URLs, its list, detail,
edit and history pages, its API routes, its exports and its place in the access matrix.

A resource names its model, form, filter set, list columns, the services that create and update
it, and its API schema (a ninja `ModelSchema`). The API's input schema is derived from the form
and its query schema from the page's filter set, so a field or a filter is declared once and the
page and the API cannot drift apart: both validate through the same form, filter through the same
filter set and save through the same service. A workflow step (`Step`) is declared once too: it
becomes the page's POST and the API's route, both fetching the row the same way and checking the
same declared action (`core/access.py`) before calling one service.

    class Committees(Resource):
        model = Committee
        path = "committees"
        form = CommitteeForm
        ...

    RESOURCES = register(Committees, Meetings)   # app/resources.py
    urlpatterns = [*page_urls(RESOURCES), ...]   # app/urls.py
    add_api_routes(router, RESOURCES)            # app/api.py
"""

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

import pydantic
from django import forms
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.http import HttpRequest
from django.urls import URLPattern, path
from django.utils import translation
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from pilotage.api.pagination import BoundedPagination
from pilotage.core import access
from pilotage.core.audit import history_of
from pilotage.core.errors import AccessDenied
from pilotage.core.forms import validated
from pilotage.core.generic_views import (
    ObjectDetailView,
    ObjectFormView,
    ObjectHistoryView,
    ObjectListView,
    ObjectStepView,
)
from pilotage.core.tables import Column, sort_queryset

DateText = Annotated[str, Field(json_schema_extra={"format": "date"})]


@dataclass(frozen=True)
class Step:
    """A workflow step on a row, declared once: the page's POST view and the API route both fetch
    the row, validate the step's form if it has one and call `take`. Who may take it: a step
    naming a declared action (`access.declare_actions`) is open to that action's roles on any
    row they see (an officer validates a CTI's value: 404 unseen, 403 with the action's message);
    any other step to those who may change the row (404 / 403).

    `take(actor, row, cleaned_data)` calls one service. The API answers with the row as the
    resource reads it, or with what `take` returned when `answer` names its schema (201 if the
    step `creates` it)."""

    segment: str  # URL segment after the row: meetings/<pk>/status/, /api/v1/meetings/{id}/status
    url_name: str  # the page's URL name within the app
    take: Callable[[Any, Any, dict[str, Any]], Any]
    form: type[Any] | None = None  # a StyledForm (it takes the user)
    action: str | None = None  # declared with `access.declare_actions`
    done_message: Any = ""
    answer: type[Schema] | None = None
    creates: bool = False
    summary: str = ""


class Resource:
    """A model's declaration. Class attributes say what it is; the methods are the hooks a
    resource overrides when its pages need more (a selector, a detail page's related rows)."""

    model: type[models.Model]
    path: str  # URL segment of pages and API: "committees" → /…/committees/, /api/v1/committees
    api_path: str = ""  # when the API named it otherwise first (plans/ ↔ /api/v1/programmes)
    name: str = ""  # URL names (<name>_list…) and the services' row keyword; default: model name
    export_name: str = ""  # file name of exports; default: the path
    form: Any = None  # a StyledModelForm class (it takes the user); None: no create, no edit
    create_form: Any = None  # when a new row asks for more than an edit does; default: `form`
    filterset: Any = None
    columns: list[Column]
    default_sort: str
    title: Any  # the list page's title
    title_create: Any = ""
    title_edit: Any = ""
    related: tuple[str, ...] = ()  # select_related / prefetch_related of every read
    prefetch: tuple[str, ...] = ()
    # Services: `create(actor=, reason=, **form fields)`, `update(actor=, <object_kwarg>=row,
    # reason=, **form fields)`. Without one, the resource has no such page or route.
    create_service: Callable[..., Any] | None = None
    update_service: Callable[..., Any] | None = None
    prefill: tuple[str, ...] = ()  # create-form choices the query string may preset (?committee=3)
    steps: tuple[Step, ...] = ()
    schema: type[Schema]  # the API's answer for one row
    api_summary: str = ""  # the list operation's one-line summary in the API document
    detail_template: str | None = None  # None: no detail nor history page (the row shows elsewhere)
    list_template: str = "core/object_list.html"

    def __init__(self) -> None:
        meta = self.model._meta
        self.app_label: str = meta.app_label
        self.name = self.name or meta.model_name or ""
        self.id_param = f"{meta.model_name}_id"
        self.export_name = self.export_name or self.path.replace("-", "_")
        self.api_path = self.api_path or self.path
        self.create_form = self.create_form or self.form
        writes = self.create_service or self.update_service
        assert self.form is not None or not writes, f"{type(self).__name__}: name its form"

    def url_name(self, page: str) -> str:
        return f"{self.app_label}:{self.name}_{page}"

    # --- hooks -----------------------------------------------------------------------------

    def queryset(self, user: Any) -> models.QuerySet:
        """Every read of the resource (list page, API list and detail, answers after a write):
        the rows the user may see, with what the columns and the schema read."""
        qs = access.rows(self.model).visible_to(user)
        return qs.select_related(*self.related).prefetch_related(*self.prefetch)

    def get(self, user: Any, pk: Any) -> Any:
        """One row the user may see, read as `queryset` reads it; 404 otherwise."""
        row = access.get_visible(self.model, user, pk)
        try:
            return self.queryset(user).get(pk=row.pk)
        except ObjectDoesNotExist:
            raise AccessDenied(visible=False) from None

    def detail_context(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        """What the detail page shows besides the row (related rows, step forms)."""
        return {}

    def totals(self, queryset: models.QuerySet) -> dict[str, Any] | None:
        return None

    # --- what comes from the declaration -----------------------------------------------------

    def views(self) -> dict[str, Any]:
        resource = self
        name = self.model.__name__
        common = {"model": self.model, "__module__": type(self).__module__}
        listing = type(f"{name}List", (ObjectListView,), {
            **common,
            "filterset_class": self.filterset,
            "columns": self.columns,
            "default_sort": self.default_sort,
            "title": self.title,
            "create_url_name": self.url_name("create") if self.create_service else None,
            "export_name": self.export_name,
            "template_name": self.list_template,
            "get_queryset": lambda view: resource.queryset(view.request.user),
            "get_totals": lambda view, queryset: resource.totals(queryset),
        })  # fmt: skip
        detail = type(f"{name}Detail", (ObjectDetailView,), {
            **common,
            "template_name": self.detail_template,
            "get_object": lambda view: resource.get(view.request.user, view.kwargs["pk"]),
            "get_context": lambda view, obj: resource.detail_context(view.request, obj),
        })  # fmt: skip
        edit = type(f"{name}Edit", (ObjectFormView,), {
            **common,
            "form_class": self.form,
            "create_form_class": self.create_form,
            "title_create": self.title_create,
            "title_edit": self.title_edit,
            "create_service": staticmethod(self.create_service or _absent),
            "update_service": staticmethod(self.update_service or _absent),
            "object_kwarg": self.name,
            "prefill": self.prefill,
        })  # fmt: skip
        history = type(f"{name}History", (ObjectHistoryView,), common)
        views = {"list": listing, "detail": detail, "edit": edit, "history": history}
        for step in self.steps:
            views[step.url_name] = type(f"{name}{step.url_name.title()}", (ObjectStepView,), {
                **common,
                "form_class": step.form,
                "done_message": step.done_message,
                **_taking(step),
            })  # fmt: skip
        return views

    def urls(self) -> list[URLPattern]:
        views, base, name = self.views(), self.path, self.name
        patterns = [
            path(f"{base}/", views["list"].as_view(), name=f"{name}_list"),
        ]
        if self.detail_template:
            patterns += [
                path(f"{base}/<int:pk>/", views["detail"].as_view(), name=f"{name}_detail"),
                path(f"{base}/<int:pk>/history/", views["history"].as_view(),
                     name=f"{name}_history"),
            ]  # fmt: skip
        if self.create_service:
            patterns.append(path(f"{base}/new/", views["edit"].as_view(), name=f"{name}_create"))
        if self.update_service:
            edit = views["edit"].as_view()
            patterns.append(path(f"{base}/<int:pk>/edit/", edit, name=f"{name}_edit"))
        for step in self.steps:
            view = views[step.url_name].as_view()
            patterns.append(path(f"{base}/<int:pk>/{step.segment}/", view, name=step.url_name))
        return patterns

    def add_api_routes(self, router: Router) -> None:
        """GET list (the page's filters, paginated), GET one and its history, POST (create), PUT
        and PATCH (update), POST per step."""
        resource, base = self, f"/{self.api_path}"
        Out: Any = self.schema
        one = f"{base}/{{int:{self.id_param}}}"  # int: "/measurements/validate" is not a row
        # The operation ids hand-written routes had: pilotage_governance_api_committee_list…
        prefix = f"{self.model.__module__.rsplit('.', 1)[0].replace('.', '_')}_api"
        operation = f"{prefix}_{self.name}"

        def listing(request: HttpRequest, filters: Any = None) -> Any:
            queryset = filtered(request, self.filterset, filters, self.queryset(request.user))
            return sort_queryset(queryset, self.columns, "", self.default_sort)[0]

        if self.filterset is not None:
            filters_type: Any = query_schema(self.filterset, f"{self.model.__name__}Query")
            _signature(listing, filters=Query[filters_type])  # type: ignore[misc]
        else:
            _signature(listing)
        router.get(base, response=list[Out], operation_id=f"{operation}_list",
                   summary=self.api_summary or None)(paginate(BoundedPagination)(listing))  # fmt: skip

        def detail(request: HttpRequest, **ids: Any) -> Any:
            return resource.get(request.user, ids[resource.id_param])

        _signature(detail, **{self.id_param: int})
        router.get(one, response=Out, operation_id=f"{operation}_detail")(detail)

        if (create_service := self.create_service) is not None:
            create_in = form_schema(self.create_form, f"{self.model.__name__}In", editing=False)

            def create(request: HttpRequest, payload: Any) -> Any:
                access.ensure_can_create(request.user, resource.model)
                form = validated(resource.create_form(data=payload.dict(), user=request.user))
                reason = form.cleaned_data.get("reason", "")
                row = create_service(actor=request.user, reason=reason, **form.service_fields())
                return Status(201, resource.get(request.user, row.pk))

            _signature(create, payload=create_in)
            router.post(base, response={201: Out}, operation_id=f"{operation}_create")(create)

        if (update_service := self.update_service) is not None:
            update_in = form_schema(self.form, f"{self.model.__name__}UpdateIn", editing=True)
            patch_in = form_schema(
                self.form, f"{self.model.__name__}PatchIn", editing=True, partial=True
            )

            def change(request: HttpRequest, pk: Any, changes: dict[str, Any]) -> Any:
                row = access.get_editable(resource.model, request.user, pk)
                data = {**_form_values(resource.form, row, request.user), **changes}
                form = validated(resource.form(data=data, instance=row, user=request.user))
                reason = form.cleaned_data.get("reason", "")
                row = update_service(
                    actor=request.user, reason=reason, **{resource.name: row},
                    **form.service_fields(),
                )  # fmt: skip
                return resource.get(request.user, row.pk)

            def update(request: HttpRequest, payload: Any, **ids: Any) -> Any:
                return change(request, ids[resource.id_param], payload.dict())

            def patch(request: HttpRequest, payload: Any, **ids: Any) -> Any:
                return change(request, ids[resource.id_param], payload.dict(exclude_unset=True))

            _signature(update, **{self.id_param: int}, payload=update_in)
            router.put(one, response=Out, operation_id=f"{operation}_update")(update)
            _signature(patch, **{self.id_param: int}, payload=patch_in)
            router.patch(one, response=Out, operation_id=f"{operation}_patch",
                         summary="Change the fields sent, keep the others")(patch)  # fmt: skip

        def history(request: HttpRequest, **ids: Any) -> Any:
            row = access.get_visible(resource.model, request.user, ids[resource.id_param])
            return history_answer(row, request.user)

        _signature(history, **{self.id_param: int})
        router.get(f"{one}/history", response=list[HistoryOut],
                   operation_id=f"{operation}_history")(history)  # fmt: skip

        for step in self.steps:
            self._add_step_route(router, step, one, prefix)

    def _add_step_route(self, router: Router, step: Step, one: str, prefix: str) -> None:
        resource = self

        def take(request: HttpRequest, payload: Any = None, **ids: Any) -> Any:
            row = fetch_for_step(step, resource.model, request.user, ids[resource.id_param])
            data = {}
            if step.form is not None:
                data = validated(step.form(data=payload.dict(), user=request.user)).cleaned_data
            made = step.take(request.user, row, data)
            if step.answer is None:
                return resource.get(request.user, row.pk)
            return Status(201, made) if step.creates else made

        params: dict[str, Any] = {self.id_param: int}
        if step.form is not None:
            params["payload"] = form_schema(
                step.form, f"{self.model.__name__}{step.url_name.title()}In"
            )
        _signature(take, **params)
        response: Any = step.answer or self.schema
        if step.creates:
            response = {201: step.answer}
        router.post(f"{one}/{step.segment}", response=response, summary=step.summary or None,
                    operation_id=f"{prefix}_{step.url_name}")(take)  # fmt: skip


def fetch_for_step(step: Step, model: type[models.Model], user: Any, pk: Any) -> Any:
    """The row a step is taken on (see `Step`)."""
    if step.action is None:
        return access.get_editable(model, user, pk)
    row = access.get_visible(model, user, pk)
    access.ensure_can(user, step.action, row)
    return row


def _taking(step: Step) -> dict[str, Any]:
    def fetch(view: ObjectStepView, pk: Any) -> Any:
        return fetch_for_step(step, view.model, view.request.user, pk)

    def apply(view: ObjectStepView, obj: Any, data: dict[str, Any]) -> None:
        step.take(view.request.user, obj, data)

    return {"fetch": fetch, "apply": apply}


def _absent(**kwargs: Any) -> Any:
    raise AssertionError("no such service: the route is not registered")


def _signature(func: Callable[..., Any], **params: Any) -> None:
    """Give a generated handler the signature ninja reads its parameters from."""
    parameters = [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    parameters += [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation)
        for name, annotation in params.items()
    ]
    func.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]


def _form_values(form_class: Any, row: models.Model, user: Any) -> dict[str, Any]:
    """A row's current values as its edit form shows them (ids for relations, and what the form
    reads from elsewhere, such as a delivery's company ICE): what a PATCH starts from."""
    initial = form_class(instance=row, user=user).initial
    return {
        name: [getattr(item, "pk", item) for item in value] if isinstance(value, list) else value
        for name, value in initial.items()
    }


class FieldChangeOut(Schema):
    field: str
    old: Any
    new: Any


class HistoryOut(Schema):
    date: datetime
    user: str | None
    kind: str
    reason: str | None
    changes: list[FieldChangeOut]


def history_answer(row: models.Model, user: Any) -> list[dict[str, Any]]:
    """A row's change history as the API gives it (the history page's entries, the same rules
    on whose names and reasons a reader sees)."""
    return [
        {
            "date": entry.record.history_date,
            "user": entry.author if entry.record.history_user_id else None,
            "kind": entry.record.history_type,
            "reason": entry.reason,
            "changes": [
                {"field": c.field, "old": _json(c.old), "new": _json(c.new)} for c in entry.changes
            ],
        }
        for entry in history_of(row, user)
    ]


def _json(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


# --- registration ----------------------------------------------------------------------------

_registry: dict[type[models.Model], Resource] = {}


def register(*declarations: type[Resource]) -> tuple[Resource, ...]:
    resources = tuple(declaration() for declaration in declarations)
    for resource in resources:
        _registry[resource.model] = resource
    return resources


def resource_for(model: type[models.Model]) -> Resource | None:
    return _registry.get(model)


def registered_resources() -> list[Resource]:
    return list(_registry.values())


def page_urls(resources: Iterable[Resource]) -> list[URLPattern]:
    return [pattern for resource in resources for pattern in resource.urls()]


def add_api_routes(router: Router, resources: Iterable[Resource]) -> None:
    for resource in resources:
        resource.add_api_routes(router)


# --- schemas derived from forms and filter sets ------------------------------------------------


def filtered(request: HttpRequest, filterset_class: Any, filters: Any, queryset: Any) -> Any:
    """The same filters as the page, so the API and the screen agree on what a filter means."""
    if filterset_class is None:
        return queryset
    data = {k: v for k, v in filters.dict().items() if v is not None}
    filterset = filterset_class(data, queryset=queryset, request=request)
    validated(filterset.form)
    return filterset.qs


def _field_type(field: forms.Field) -> Any:
    """The JSON type a form field reads; the form still validates and says what is wrong."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        return list[int]
    if isinstance(field, forms.ModelChoiceField):
        return int
    if isinstance(field, forms.MultipleChoiceField):
        return list[str]
    if isinstance(field, forms.BooleanField | forms.NullBooleanField):
        return bool
    # Decimal and float fields are integer fields to Django: ask for them first.
    if isinstance(field, forms.DecimalField):
        return Decimal | str  # a number, or text the French way ("1 234,50")
    if isinstance(field, forms.FloatField):
        return float
    if isinstance(field, forms.IntegerField):
        return int
    if isinstance(field, forms.DateField):
        return DateText
    return str


def _described(field: forms.Field) -> dict[str, Any]:
    facts: dict[str, Any] = {"title": str(field.label or "")}
    if field.help_text:
        facts["description"] = str(field.help_text)
    choices = getattr(field, "choices", None)
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        values = [str(value) for value, _label in choices or () if value != ""]
        facts["description"] = " ".join(
            [facts.get("description", ""), "One of: " + ", ".join(values) + "."]
        ).strip()
    if isinstance(field, forms.CharField) and field.max_length:
        facts["max_length"] = field.max_length
    return facts


def form_schema(
    form_class: Any, name: str, *, editing: bool = False, partial: bool = False
) -> type[Schema]:
    """The API body of a form: a field per form field (file fields apart), required as the form
    requires it. `editing`: the form as it stands for an existing row (some fields are fixed);
    `partial`: every field optional (a PATCH: what is left out keeps its value)."""
    with translation.override("en"):
        instance: dict[str, Any] = {}
        if editing:
            instance["instance"] = _stored_row(form_class._meta.model)
        form: Any = form_class(user=None, **instance)
        fields: dict[str, Any] = {}
        for field_name, field in form.fields.items():
            if isinstance(field, forms.FileField):
                continue
            kind, facts = _field_type(field), _described(field)
            initial = field.initial() if callable(field.initial) else field.initial
            if isinstance(initial, str):
                initial = str(initial)  # a plain string, not a TextChoices member
            elif isinstance(field, forms.DecimalField) and initial is not None:
                initial = Decimal(str(initial))
            # A translated field (`name_fr`…) may come as `name` instead: the form says if both
            # are missing.
            aliased = field_name.endswith("_fr") and field_name[:-3] not in form.fields
            if partial:
                fields[field_name] = (kind | None, Field(None, **facts))
            elif field.required and initial is None and not aliased:
                fields[field_name] = (kind, Field(..., **facts))
            elif field.required:
                # What the page shows prefilled is what a body that leaves it out gets.
                fields[field_name] = (kind, Field(initial, **facts))
            elif kind is bool:
                fields[field_name] = (bool, Field(bool(field.initial), **facts))
            else:
                fields[field_name] = (kind | None, Field(None, **facts))
            if aliased:
                description = "The active language's text, instead of the per-language fields."
                fields[field_name[:-3]] = (
                    str | None, Field(None, title=str(field.label or ""), description=description)
                )  # fmt: skip
    return pydantic.create_model(name, __base__=Schema, **fields)


def _stored_row(model: type[models.Model]) -> models.Model:
    """A row that looks saved to a form (some forms fix fields once a row exists), built without
    the database: the schemas are made when the URLs load, before any table may exist."""
    row = model(pk=1)
    row._prefetched_objects_cache = {  # type: ignore[attr-defined]
        field.name: field.related_model._default_manager.none()
        for field in model._meta.many_to_many
    }
    return row


def query_schema(filterset_class: Any, name: str) -> type[Schema]:
    """The API query parameters of a list: the page's filters, every one optional."""
    fields: dict[str, Any] = {}
    with translation.override("en"):
        form = filterset_class(None, queryset=None, request=None).form
        for field_name, field in form.fields.items():
            facts = {k: v for k, v in _described(field).items() if k != "max_length"}
            fields[field_name] = (_field_type(field) | None, Field(None, **facts))
    return pydantic.create_model(name, __base__=Schema, **fields)
