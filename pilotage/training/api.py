"""API of training: lists, reads, creation, updates and steps come from the resources'
declarations (`resources.py`); recording a session's attendance (many trainees at once, all or
none) is the one route written here."""

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from pilotage.core.registry import add_api_routes
from pilotage.training import resources, services
from pilotage.training.models import TrainingSession

router = Router(tags=["training"])
add_api_routes(router, resources.RESOURCES)


class HoursIn(Schema):
    trainee: int
    hours: Decimal | None  # null: absent (a recorded row is removed)


class AttendanceIn(Schema):
    rows: list[HoursIn]
    reason: str = ""


class AttendanceOut(Schema):
    changed: int


@router.post("/training-sessions/{int:trainingsession_id}/attendance", response=AttendanceOut,
             summary="Record a session's attendance: every row or none",
             operation_id="training_attendance_record")  # fmt: skip
def attendance_record(request: HttpRequest, trainingsession_id: int, payload: AttendanceIn) -> dict:
    user: Any = request.user  # signed in: the API's authentication ran first
    session = TrainingSession(pk=trainingsession_id)
    hours = {row.trainee: row.hours for row in payload.rows}
    changed = services.attendance_record(actor=user, session=session, hours=hours,
                                         reason=payload.reason)  # fmt: skip
    return {"changed": changed}
