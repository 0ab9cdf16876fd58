"""The OpenAPI document declares every answer an operation may give, with the error body the API
really sends."""

from django.test import Client

from pilotage.core.tests.factories import api_token


def test_every_operation_declares_the_error_answers_with_the_error_body(db):
    schema = Client().get("/api/v1/openapi.json").json()
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["code", "message", "errors"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status in ("401", "403", "404", "409", "413", "422", "429"):
                answer = operation["responses"][status]["content"]["application/json"]
                assert answer["schema"] == {"$ref": "#/components/schemas/Error"}, (path, method)


def test_the_answers_the_api_sends_have_the_declared_body(cast, settings):
    settings.MAX_UPLOAD_SIZE = 100
    token = api_token(cast.officer)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    answers = [
        Client().get("/api/v1/deliveries"),  # 401
        api.get("/api/v1/deliveries/999999"),  # 404
        api.get("/api/v1/deliveries?offset=-1"),  # 422
        api.post("/api/v1/companies", "[1]", content_type="application/json"),  # 422
        api.post("/api/v1/companies", "{" + '"x": 1,' * 40 + "}", content_type="application/json"),
    ]
    assert [a.status_code for a in answers] == [401, 404, 422, 422, 413]
    for answer in answers:
        assert set(answer.json()) == {"code", "message", "errors"}, answer.json()
