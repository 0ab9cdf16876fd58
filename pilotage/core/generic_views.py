"""Shared base views: a concrete page declares its model, filters, columns, form and service.

List, detail, edit and history pages read through the access layer (`visible_to`), answer 404 for
rows the user may not see and 403 for rows they may see but not change.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views import View

from pilotage.core import access
from pilotage.core.audit import history_of
from pilotage.core.errors import ErrorCode, ServiceError
from pilotage.core.exports import EXPORT_FORMATS, export_response
from pilotage.core.numbers import id_param
from pilotage.core.tables import Column, sort_queryset

ACCESS_CODES = (ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN)


class AccessMixin(LoginRequiredMixin):
    """Turns the application's access errors (404, 403) into error pages: a refusal for lack of
    rights is never shown as a form error."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return super().dispatch(request, *args, **kwargs)
        except ServiceError as exc:
            if exc.code == ErrorCode.NOT_FOUND:
                raise Http404 from None
            if exc.code == ErrorCode.FORBIDDEN:
                raise PermissionDenied from None
            raise


class ObjectMixin(AccessMixin):
    model: type[models.Model]
    request: Any  # someone signed in: AccessMixin saw to it
    kwargs: dict[str, Any]

    def get_object(self) -> Any:
        return access.get_visible(self.model, self.request.user, self.kwargs["pk"])


class ObjectListView(AccessMixin, View):
    model: type[models.Model]
    filterset_class: Any = None
    columns: list[Column]
    default_sort: str
    title: Any
    related: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()
    paginate_by = 25
    create_url_name: str | None = None
    export_name: str = "export"
    template_name = "core/object_list.html"
    partial_template_name = "core/partials/object_table.html"

    def get_queryset(self) -> models.QuerySet:
        qs = access.rows(self.model).visible_to(self.request.user)
        return qs.select_related(*self.related).prefetch_related(*self.prefetch)

    def get_context(self) -> dict[str, Any]:
        """What a concrete list adds to its page (buttons it may show, say)."""
        return {}

    def get_totals(self, queryset: models.QuerySet) -> dict[str, Any] | None:
        """A totals row over every filtered row (not just the page), keyed by column name."""
        return None

    def get(self, request: Any) -> HttpResponseBase:
        queryset = self.get_queryset()
        filterset = None
        if self.filterset_class is not None:
            filterset = self.filterset_class(
                request.GET or None, queryset=queryset, request=request
            )
            queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
            if filterset.is_bound and not filterset.is_valid():
                queryset = queryset.none()
        queryset, sort = sort_queryset(
            queryset, self.columns, request.GET.get("sort", ""), self.default_sort
        )
        fmt = request.GET.get("export")
        if fmt in EXPORT_FORMATS:
            return export_response(fmt, self.columns, queryset, self.export_name)
        page = Paginator(queryset, self.paginate_by).get_page(request.GET.get("page"))
        totals = self.get_totals(queryset)
        context = {
            "totals": [totals.get(c.name) for c in self.columns] if totals else None,
            "title": self.title,
            "filterset": filterset,
            "columns": self.columns,
            "rows": [(obj, [c.value(obj) for c in self.columns]) for obj in page.object_list],
            "page": page,
            "sort": sort,
            "query": _query_without(request, "page", "sort", "export"),
            "can_create": bool(self.create_url_name)
            and access.can_create(request.user, self.model),
            "create_url_name": self.create_url_name,
            **self.get_context(),
        }
        # A history-restore request (back button) needs the whole page, not the fragment.
        fragment = request.htmx and not request.htmx.history_restore_request
        template = self.partial_template_name if fragment else self.template_name
        response = render(request, template, context)
        patch_vary_headers(response, ["HX-Request"])
        return response


def _query_without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


class ObjectDetailView(ObjectMixin, View):
    template_name: str

    def get_context(self, obj: models.Model) -> dict[str, Any]:
        return {}

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        obj = self.get_object()
        context = {
            "object": obj,
            "can_edit": access.can_edit(request.user, obj),
            **self.get_context(obj),
        }
        return render(request, self.template_name, context)


class ObjectFormView(ObjectMixin, View):
    """Create (no pk in the URL) or edit a row: the form validates, a service saves.

    A concrete view names its services: `create_service(actor=, reason=, **fields)` and
    `update_service(actor=, <object_kwarg>=row, reason=, **fields)` (wrap them in staticmethod)."""

    form_class: Any
    create_form_class: Any = None  # a new row's form, when it differs from the edit form
    template_name = "core/object_form.html"
    title_create: Any = ""
    title_edit: Any = ""
    create_service: Any = None
    update_service: Any = None
    object_kwarg = ""
    prefill: tuple[
        str, ...
    ] = ()  # choices a create form takes from the query string (?committee=3)

    def service_kwargs(self, form: Any) -> dict[str, Any]:
        return {
            "actor": self.request.user,
            "reason": form.cleaned_data.get("reason", ""),
            **form.service_fields(),
        }

    def create(self, form: Any) -> models.Model:
        return self.create_service(**self.service_kwargs(form))

    def update(self, obj: models.Model, form: Any) -> models.Model:
        return self.update_service(**{self.object_kwarg: obj}, **self.service_kwargs(form))

    def get_target(self) -> models.Model | None:
        if "pk" not in self.kwargs:
            if not access.can_create(self.request.user, self.model):
                raise PermissionDenied
            return None
        return access.get_editable(self.model, self.request.user, self.kwargs["pk"])

    def get_form(self, obj: models.Model | None, data: Any = None, files: Any = None) -> Any:
        form_class = self.form_class if obj is not None else self.create_form_class
        form = (form_class or self.form_class)(data, files, instance=obj, user=self.request.user)
        if obj is None and data is None:
            # The links on a committee's page preset the new row's parent; a service request,
            # the company to register (its ICE and name).
            for name in self.prefill:
                field, text = form.fields.get(name), self.request.GET.get(name, "")[:255]
                is_choice = isinstance(field, forms.ModelChoiceField)
                value = id_param(text) if is_choice else text
                if field is not None and value:
                    form.initial[name] = value
        return form

    def render_form(self, form: Any, obj: models.Model | None, status: int = 200) -> HttpResponse:
        title = self.title_edit if obj is not None else self.title_create
        context = {"form": form, "object": obj, "title": title}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        obj = self.get_target()
        return self.render_form(self.get_form(obj), obj)

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        obj = self.get_target()
        form = self.get_form(obj, request.POST, request.FILES)
        if form.is_valid():
            try:
                saved: Any = self.update(obj, form) if obj is not None else self.create(form)
            except ServiceError as exc:
                if exc.code in ACCESS_CODES:
                    raise
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return HttpResponseRedirect(saved.get_absolute_url())
        return self.render_form(form, obj, status=422)


def add_service_errors(form: Any, exc: ServiceError) -> None:
    """Show a service's refusal on the form, next to the fields it names."""
    if not exc.field_errors:
        form.add_error(None, exc.message)
    for field, errors in exc.field_errors.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


class ObjectStepView(ObjectMixin, View):
    """A workflow step on a row (POST only): fetch the row (404 / 403 before any input is read,
    so a refusal is never shown as a form error), parse the step's form if it has one, `apply`
    calls one service with the cleaned data, and the user goes back with what happened."""

    form_class: Any = None
    done_message: Any = ""

    def fetch(self, pk: Any) -> Any:
        return access.get_editable(self.model, self.request.user, pk)

    def apply(self, obj: Any, data: dict[str, Any]) -> str | None:
        """Take the step; what to tell the user if more than `done_message`."""
        raise NotImplementedError

    def back(self, obj: Any) -> HttpResponse:
        return HttpResponseRedirect(obj.get_absolute_url())

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        obj = self.fetch(pk)
        form = (
            self.form_class(request.POST, request.FILES, user=request.user)
            if self.form_class
            else None
        )
        errors: dict[str, list[str]] = {}
        outcome = None
        if form is not None and not form.is_valid():
            errors = form.errors
        else:
            try:
                outcome = self.apply(obj, form.cleaned_data if form is not None else {})
            except ServiceError as exc:
                if exc.code in ACCESS_CODES:
                    raise
                errors = exc.field_errors or {"__all__": [exc.message]}
        for field, texts in errors.items():
            label = form.fields[field].label if form is not None and field in form.fields else ""
            for text in texts:
                messages.error(request, f"{label}: {text}" if label else text)
        if not errors:
            messages.success(request, outcome or self.done_message or _("Saved."))
        return self.back(obj)


class ObjectRemoveView(AccessMixin, View):
    """Remove a row from the page that lists it (POST, with an optional reason): one service
    call, then back to that page with what happened."""

    model: type[models.Model]
    request: Any  # someone signed in: AccessMixin saw to it
    done_message: Any

    def remove(self, row: Any, reason: str) -> None:
        raise NotImplementedError

    def back(self, row: Any) -> str:
        """The page to go back to (read before the row is removed)."""
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        row = access.get_editable(self.model, request.user, pk)
        back = self.back(row)
        try:
            self.remove(row, request.POST.get("reason", ""))
        except ServiceError as exc:
            if exc.code in ACCESS_CODES:
                raise
            messages.error(request, exc.message)
        else:
            messages.success(request, self.done_message)
        return HttpResponseRedirect(back)


class ObjectHistoryView(ObjectMixin, View):
    template_name = "core/object_history.html"

    def get_context(self, obj: models.Model) -> dict[str, Any]:
        return {}

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        obj = self.get_object()
        context = {"object": obj, "entries": history_of(obj, request.user), **self.get_context(obj)}
        return render(request, self.template_name, context)


class StoredDocumentDownload(ObjectMixin, View):
    """Download a StoredDocument the user may see (404 otherwise), under its original name."""

    def get(self, request: HttpRequest, pk: Any) -> FileResponse:
        document = self.get_object()
        name = document.file.name.rsplit("/", 1)[-1]
        return FileResponse(document.file.open("rb"), as_attachment=True, filename=name)
