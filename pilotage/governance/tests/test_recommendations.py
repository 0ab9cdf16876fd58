"""Evaluation recommendations: management response, progress notes with evidence, status."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext

from pilotage.core.errors import ServiceError
from pilotage.governance import selectors, services
from pilotage.governance.models import ProgressEvidence, RecommendationStatus
from pilotage.governance.tests.factories import EvaluationFactory, RecommendationFactory


def recommend(actor, evaluation, **fields):
    fields = {"text": "Renforcer le suivi-évaluation.", "response": "accepted"} | fields
    return services.recommendation_create(actor=actor, evaluation=evaluation, **fields)


def test_recommendations_take_the_next_number_unless_given(cast):
    evaluation = EvaluationFactory()
    assert recommend(cast.officer, evaluation, number=4).number == 4
    assert recommend(cast.officer, evaluation).number == 5


def test_a_rejected_recommendation_is_dropped_and_reopened_if_accepted(cast):
    recommendation = recommend(cast.officer, EvaluationFactory(), response="rejected")
    assert recommendation.status == RecommendationStatus.DROPPED
    with pytest.raises(ServiceError) as no_reason:
        services.recommendation_update(
            actor=cast.officer, recommendation=recommendation, response="partly"
        )
    assert "reason" in no_reason.value.field_errors
    services.recommendation_update(
        actor=cast.officer, recommendation=recommendation, response="partly",
        reason="Réexamen par le comité de suivi",
    )  # fmt: skip
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.OPEN


def test_a_progress_note_moves_the_status_with_its_evidence(cast):
    recommendation = RecommendationFactory(owner=cast.network)
    note = services.progress_note_create(
        actor=cast.officer, recommendation=recommendation, noted_on=datetime.date(2024, 5, 2),
        text="Manuel de procédures adopté.", status_after="implemented",
        upload=SimpleUploadedFile("manuel.pdf", b"%PDF-1.7 manuel"), evidence_title="Manuel",
    )  # fmt: skip
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.IMPLEMENTED
    assert note.author == cast.officer
    assert ProgressEvidence.objects.get(note=note).title == "Manuel"
    latest = recommendation.history.latest()
    assert latest.history_user == cast.officer
    assert latest.history_change_reason == gettext("Progress note of %(date)s") % {
        "date": "02/05/2024"
    }


def test_a_rejected_recommendation_cannot_progress_nor_a_note_be_in_the_future(cast):
    rejected = recommend(cast.officer, EvaluationFactory(), response="rejected")
    with pytest.raises(ServiceError) as refused:
        services.progress_note_create(
            actor=cast.officer, recommendation=rejected, noted_on=datetime.date(2024, 1, 1),
            text="x", status_after="in_progress",
        )  # fmt: skip
    assert "status_after" in refused.value.field_errors
    with pytest.raises(ServiceError) as future:
        services.progress_note_create(
            actor=cast.officer, recommendation=RecommendationFactory(),
            noted_on=datetime.date.today() + datetime.timedelta(days=2), text="x",
        )  # fmt: skip
    assert "noted_on" in future.value.field_errors


def test_overdue_recommendations_are_those_still_pending(cast):
    late = RecommendationFactory(due_on=datetime.date(2023, 12, 31))
    done = RecommendationFactory(due_on=datetime.date(2023, 12, 31), status="implemented")
    rows = dict(
        selectors.recommendation_follow_up(cast.cti_a_staff).values_list("pk", "is_overdue")
    )
    assert rows == {late.pk: True, done.pk: False}


def test_a_cti_manager_cannot_record_progress(cast):
    recommendation = RecommendationFactory(owner=cast.cti_a)
    with pytest.raises(ServiceError):
        services.progress_note_create(
            actor=cast.cti_a_manager, recommendation=recommendation,
            noted_on=datetime.date(2024, 1, 1), text="Fait.",
        )  # fmt: skip
    assert not recommendation.notes.exists()
