"""API authentication: the browser's session (with CSRF) or a personal token (`Authorization: Bearer`)."""

from typing import Any

from django.http import HttpRequest
from django.utils import translation
from ninja.security import APIKeyCookie, HttpBearer
from ninja.security import django_auth as session_auth

from pilotage.core.services import api_token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is None:
            return None
        request.user = user
        translation.activate(user.preferred_language)
        request.LANGUAGE_CODE = user.preferred_language
        return user


API_AUTH: list[APIKeyCookie | HttpBearer] = [TokenAuth(), session_auth]
