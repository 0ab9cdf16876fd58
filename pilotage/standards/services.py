"""Every state change of standards work: recording it, correcting what describes it, moving it
to its next stage (dated, never before the stage it leaves nor in the future; the public enquiry
with its window of one to three months, the homologation with its order) and its five-yearly
review once published."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pilotage.core import access
from pilotage.core.errors import ErrorCode, refusal
from pilotage.core.models import Organisation, User
from pilotage.core.services import KEEP, change_fields, persist
from pilotage.standards.models import STAGE_DATE, ReviewOutcome, Stage, StandardWork

STAGES = list(Stage)
# The public enquiry lasts one to three months (IMANOR).
ENQUIRY_DAYS = (28, 92)


@transaction.atomic
def standardwork_create(
    *,
    actor: User,
    cti: Organisation,
    reference: str,
    title: str,
    technical_committee: str,
    proposed_on: datetime.date,
    title_ar: str = "",
    cti_role: str = "member",
    note: str = "",
    reason: str = "",
) -> StandardWork:
    access.ensure_can_create(actor, StandardWork)
    if proposed_on > timezone.localdate():
        raise refusal(_("A stage cannot be dated in the future."), "proposed_on", ErrorCode.INVALID)
    work = StandardWork(
        cti=cti, reference=reference.strip(), title=title, title_ar=title_ar,
        technical_committee=technical_committee, cti_role=cti_role, proposed_on=proposed_on,
        note=note,
    )  # fmt: skip
    return persist(work, actor=actor, reason=reason)


@transaction.atomic
def standardwork_update(
    *,
    actor: User,
    standardwork: StandardWork,
    cti: Organisation = KEEP,
    reference: str = KEEP,
    title: str = KEEP,
    title_ar: str = KEEP,
    technical_committee: str = KEEP,
    cti_role: str = KEEP,
    proposed_on: datetime.date = KEEP,
    note: str = KEEP,
    reason: str = "",
) -> StandardWork:
    """Correct what describes the work; its stages move only by `standard_advance`."""
    access.get_editable(StandardWork, actor, standardwork.pk)
    work = StandardWork.objects.select_for_update().get(pk=standardwork.pk)
    change_fields(
        work, cti=cti, reference=reference, title=title, title_ar=title_ar,
        technical_committee=technical_committee, cti_role=cti_role, proposed_on=proposed_on,
        note=note,
    )  # fmt: skip
    later = [d for _stage, d in work.stage_dates()[1:] if d is not None]
    if later and work.proposed_on > min(later):
        raise refusal(_("The proposal cannot come after a later stage."), "proposed_on",
                      ErrorCode.INVALID)  # fmt: skip
    return persist(work, actor=actor, reason=reason)


@transaction.atomic
def standard_advance(
    *,
    actor: User,
    standardwork: StandardWork,
    on: datetime.date | None = None,
    enquiry_closes_on: datetime.date | None = None,
    homologation_order: str = "",
    reason: str = "",
) -> StandardWork:
    """Move the work to its next stage, dated `on` (today by default)."""
    access.get_editable(StandardWork, actor, standardwork.pk)
    work = StandardWork.objects.select_for_update().get(pk=standardwork.pk)
    position = STAGES.index(Stage(work.stage))
    if position + 1 == len(STAGES):
        raise refusal(_("The standard is published: its next step is its review."), "stage")
    to = STAGES[position + 1]
    on = on or timezone.localdate()
    field = STAGE_DATE[to]
    if on > timezone.localdate():
        raise refusal(_("A stage cannot be dated in the future."), "on", ErrorCode.INVALID)
    if on < work.entered_stage_on:
        raise refusal(
            _("“%(stage)s” cannot be dated before “%(previous)s” (%(date)s).")
            % {"stage": to.label, "previous": Stage(work.stage).label,
               "date": work.entered_stage_on.strftime("%d/%m/%Y")},
            "on", ErrorCode.INVALID,
        )  # fmt: skip
    if to == Stage.PUBLIC_ENQUIRY:
        if enquiry_closes_on is None:
            raise refusal(_("Give the date the public enquiry closes."), "enquiry_closes_on",
                          ErrorCode.INVALID)  # fmt: skip
        days = (enquiry_closes_on - on).days
        if not ENQUIRY_DAYS[0] <= days <= ENQUIRY_DAYS[1]:
            raise refusal(_("A public enquiry lasts one to three months."), "enquiry_closes_on",
                          ErrorCode.INVALID)  # fmt: skip
        work.enquiry_closes_on = enquiry_closes_on
    if to == Stage.HOMOLOGATION:
        if not homologation_order.strip():
            raise refusal(_("Give the reference of the homologation order."),
                          "homologation_order", ErrorCode.INVALID)  # fmt: skip
        if work.enquiry_closes_on and on < work.enquiry_closes_on:
            raise refusal(_("The standard is homologated after its public enquiry closes."),
                          "on", ErrorCode.INVALID)  # fmt: skip
        work.homologation_order = homologation_order.strip()
    work.stage = to
    setattr(work, field, on)
    return persist(work, actor=actor, reason=reason)


@transaction.atomic
def standard_review(
    *,
    actor: User,
    standardwork: StandardWork,
    outcome: str,
    on: datetime.date | None = None,
    reason: str = "",
) -> StandardWork:
    """Record the five-yearly review of a published standard."""
    access.get_editable(StandardWork, actor, standardwork.pk)
    work = StandardWork.objects.select_for_update().get(pk=standardwork.pk)
    if work.stage != Stage.PUBLISHED:
        raise refusal(_("Only a published standard is reviewed."), "stage")
    if outcome not in ReviewOutcome.values:
        raise refusal(_("Choose the review's outcome."), "outcome", ErrorCode.INVALID)
    on = on or timezone.localdate()
    last = work.reviewed_on or work.published_on
    assert last is not None  # published, by the stage (and the model's order of dates)
    if on > timezone.localdate() or on < last:
        raise refusal(_("A review is dated between the last one (or the publication) and today."),
                      "on", ErrorCode.INVALID)  # fmt: skip
    work.reviewed_on, work.review_outcome = on, outcome
    return persist(work, actor=actor, reason=reason)
