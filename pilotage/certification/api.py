"""API of laboratories, staff counts, fast-track campaigns and validation requests. Lists, reads,
creation, updates and the requests' steps come from the resources' declarations
(`resources.py`); storing the signed report file (multipart) is here."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from pilotage.certification import resources, services
from pilotage.certification.forms import ReportFileForm
from pilotage.certification.models import ValidationRequest
from pilotage.certification.resources import ReportFileOut
from pilotage.core import access
from pilotage.core.forms import validated
from pilotage.core.registry import add_api_routes

router = Router(tags=["certification"])
add_api_routes(router, resources.RESOURCES)


# The file is read from the multipart body after the access check (a request one may not see is a
# 404 whatever the body), so the body is described here rather than parsed by ninja.
REPORT_FILE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "title": {"type": "string", "maxLength": 255},
                    },
                }
            }
        },
    }
}


# `int:` as the registry's routes: the same path must resolve to one pattern.
@router.post(
    "/validation-requests/{int:validationrequest_id}/report-file",
    response={201: ReportFileOut},
    summary="Store the signed report file (multipart), before issuing the report",
    openapi_extra=REPORT_FILE_BODY,
)
def report_file_store(request: HttpRequest, validationrequest_id: int):
    user: Any = request.user  # signed in: the API's authentication ran first
    row = access.get_visible(ValidationRequest, user, validationrequest_id)
    access.ensure_can(user, "record", row)
    form = validated(ReportFileForm(request.POST, request.FILES, user=user))
    report = services.report_attach(
        actor=user, request=row, upload=form.cleaned_data["file"],
        title=form.cleaned_data["title"],
    )  # fmt: skip
    return Status(201, report)
