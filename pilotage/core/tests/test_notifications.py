"""People are told: in the platform (the bell) and by e-mail in their own language, through the
task queue, only what concerns them, grouped when many things happen at once, and never by
e-mail for a kind they turned off."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse

from pilotage.core.models import Notification
from pilotage.results.tests.test_bulk_review import draft_values, review, submit_ready

pytestmark = pytest.mark.django_db


def notices(user):
    return list(Notification.objects.filter(recipient=user))


def test_values_submitted_together_make_one_notice_and_one_e_mail_per_officer(
    cast, client_for, django_capture_on_commit_callbacks
):
    agreement, period, *_ = draft_values(cast, client_for)
    with django_capture_on_commit_callbacks(execute=True):
        submit_ready(client_for(cast.cti_a_manager), agreement, period)

    for officer in (cast.officer, cast.admin):
        (notice,) = notices(officer)
        assert notice.count == 2 and notice.read_at is None
        assert "CTPC a soumis 2 valeurs" in str(notice)  # in French, the reader's language
    assert not notices(cast.cti_b_manager) and not notices(cast.auditor)
    assert not notices(cast.cti_a_manager)  # not told of their own step
    assert sorted(m.to[0] for m in mail.outbox) == sorted([cast.officer.email, cast.admin.email])


def test_a_return_tells_the_ctis_reporters_in_their_language_and_respects_an_opt_out(
    cast, client_for, django_capture_on_commit_callbacks
):
    agreement, period, *_ = draft_values(cast, client_for)
    submit_ready(client_for(cast.cti_a_manager), agreement, period)
    type(cast.cti_a_manager).objects.filter(pk=cast.cti_a_manager.pk).update(
        preferred_language="ar"
    )
    staff = client_for(cast.cti_a_staff)
    staff.post(reverse("core:notification_preferences"), {"by_email": ["values_validated"]})
    from pilotage.results.models import Measurement

    with django_capture_on_commit_callbacks(execute=True):
        review(client_for(cast.officer), agreement, period, list(Measurement.objects.all()),
               action="return", reason="Justificatif manquant")  # fmt: skip

    assert len(notices(cast.cti_a_staff)) == 1 and len(notices(cast.cti_a_manager)) == 1
    assert not notices(cast.cti_b_staff)
    (message,) = mail.outbox  # the staff member turned returns off: only the manager's
    assert message.to == [cast.cti_a_manager.email]
    assert re.search(r"[\u0600-\u06FF]", message.body), message.body  # Arabic
    assert f"/agreements/{agreement.pk}/reporting/?period={period.pk}" in message.body


def test_the_bell_counts_unread_notices_and_opening_one_marks_it_read(cast, client_for):
    agreement, period, *_ = draft_values(cast, client_for)
    submit_ready(client_for(cast.cti_a_manager), agreement, period)
    client = client_for(cast.officer)
    home = client.get("/").content.decode()
    assert 'id="unread-count">1' in home
    notice = notices(cast.officer)[0]

    opened = client.post(reverse("core:notification_open", args=[notice.pk]))

    assert opened.status_code == 302 and opened.url == notice.link
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert 'id="unread-count"' not in client.get("/").content.decode()
    other = client_for(cast.cti_b_manager).post(reverse("core:notification_open", args=[notice.pk]))
    assert other.status_code == 404


def test_a_new_public_request_tells_the_cti_and_gives_the_company_a_link_to_follow_it(
    cast, client, client_for, django_capture_on_commit_callbacks
):
    from pilotage.prestations.tests.factories import OfferingFactory

    offering = OfferingFactory(cti=cast.cti_a, title="Essais de traction", is_public=True)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("services:catalogue_offering", args=[offering.pk]),
            {"company_name": "Plastiques du Nord", "contact_name": "Salma", "message": "Devis ?",
             "email": "achats@plastiques-nord.example"},
            headers={"Accept-Language": "en"},
        )  # fmt: skip

    assert [len(notices(u)) for u in (cast.cti_a_manager, cast.cti_a_staff)] == [1, 1]
    assert not notices(cast.cti_b_manager) and not notices(cast.officer)
    receipt = next(m for m in mail.outbox if m.to == ["achats@plastiques-nord.example"])
    path = urlsplit(re.search(r"https?://\S+/catalogue/follow/\S+/", receipt.body)[0]).path
    page = client.get(path)
    assert page.status_code == 200 and 'data-status="new"' in page.content.decode()
    assert client.get(path[:-3] + "xx/").status_code == 404  # a tampered link shows nothing


def test_a_decision_tells_the_people_of_the_organisation_it_concerns(cast):
    from pilotage.governance import services
    from pilotage.governance.tests.factories import CommitteeFactory

    committee = CommitteeFactory()
    services.decision_create(
        actor=cast.officer, committee=committee, decided_on=datetime.date(2024, 3, 1), kind="other",
        title="Plan d'action", text="Le CTPC présente un plan.", owner=cast.cti_a,
    )  # fmt: skip
    assert [len(notices(u)) for u in (cast.cti_a_manager, cast.cti_a_staff)] == [1, 1]
    assert not notices(cast.cti_b_manager) and not notices(cast.officer)


def test_mark_all_read_and_preferences_are_personal(cast, client_for):
    agreement, period, *_ = draft_values(cast, client_for)
    submit_ready(client_for(cast.cti_a_manager), agreement, period)
    client = client_for(cast.admin)
    client.post(reverse("core:notification_read_all"))
    assert all(n.read_at for n in notices(cast.admin))
    assert all(n.read_at is None for n in notices(cast.officer))  # someone else's stay unread
    page = client.get(reverse("core:notification_list")).content.decode()
    assert 'data-unread="0"' in page
