from django.conf import settings
from django.db import DataError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from pilotage.core import two_factor
from pilotage.core.errors import ErrorCode, ServiceError


class RequestSizeLimitMiddleware:
    """Refuse a request body over MAX_UPLOAD_SIZE before anything reads it (413)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_UPLOAD_SIZE:
            limit_mb = settings.MAX_UPLOAD_SIZE // (1024 * 1024)
            message = _("The file is too large: the limit is %(limit)s MB.") % {"limit": limit_mb}
            if request.path.startswith("/api/"):  # the API's one error body
                error = ServiceError(
                    ErrorCode.INVALID, message, field_errors={"__all__": [message]}
                )
                return JsonResponse(error.as_dict(), status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """The Permissions-Policy header (settings.PERMISSIONS_POLICY) on every answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class UserLanguageMiddleware:
    """A signed-in user's chosen language wins over the browser's: the choice follows the person."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = getattr(user, "preferred_language", None)
        if language and user is not None and user.is_authenticated:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


class TwoFactorMiddleware:
    """A signed-in person who owes a second factor reaches only the pages that take it (and
    sign-out, the language switch) until it is given: the code page if they have an
    authenticator, the set-up page if their role requires one and they have none yet."""

    OPEN_VIEWS = {
        "logout",
        "set_language",
        "core:two_factor_verify",
        "core:two_factor_setup",
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        step = two_factor.step_owed(request.user)
        if step is None or self._open(request):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            message = _("Give the second factor of your sign-in on the platform first.")
            return JsonResponse(ServiceError(ErrorCode.FORBIDDEN, message).as_dict(), status=403)
        target = reverse(f"core:two_factor_{step}")
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)

    def _open(self, request: HttpRequest) -> bool:
        try:
            return resolve(request.path_info).view_name in self.OPEN_VIEWS
        except Resolver404:
            return False


class BadInputMiddleware:
    """Refuse a NUL character in a query parameter or a JSON body, for every page and route.

    No database text column takes NUL (PostgreSQL refuses it): a search for `a%00b` or a JSON
    field holding `\\u0000` reached the query and failed there as a 500. Forms already refuse it
    field by field (Django's CharField); files may carry it and are not looked at."""

    def __init__(self, get_response):
        self.get_response = get_response

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        # The same net for pages: a value past the database's range (a 30-digit id in a query
        # parameter) is the request's fault, answered 400, not a server error.
        if isinstance(exc, DataError) and not request.path.startswith("/api/"):
            return render(
                request, "400.html", {"message": _("A value is out of range.")}, status=400
            )
        return None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        fields = [name for name, values in request.GET.lists() if _has_nul(name, *values)]
        if request.content_type == "application/json" and b"\\u0000" in request.body:
            fields.append("__all__")
        if not fields:
            return self.get_response(request)
        message = _("Null characters are not allowed.")
        if request.path.startswith("/api/"):
            error = ServiceError(ErrorCode.INVALID, field_errors={f: [message] for f in fields})
            return JsonResponse(error.as_dict(), status=422)
        return render(request, "400.html", {"message": message}, status=400)


def _has_nul(*texts: str) -> bool:
    return any("\x00" in text for text in texts)
