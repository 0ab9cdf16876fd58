from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pilotage.core.forms import ReasonField, StyledForm, StyledModelForm
from pilotage.core.models import Organisation, User
from pilotage.governance.models import (
    Committee,
    Decision,
    Evaluation,
    FollowUpStatus,
    Meeting,
    MeetingStatus,
    MemberRole,
    Recommendation,
    RecommendationStatus,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 4})


class CommitteeForm(StyledModelForm):
    reason = ReasonField()

    class Meta:
        model = Committee
        fields = ["code", "name", "programme", "agreement", "mandate", "is_active"]
        widgets = {"mandate": forms.Textarea(attrs={"rows": 3})}


class MemberForm(StyledForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.filter(is_active=True)
    )
    person_name = forms.CharField(label=_("Person"), max_length=200, required=False)
    user = forms.ModelChoiceField(
        label=_("Platform user"),
        queryset=User.objects.filter(is_active=True),
        required=False,
        help_text=_("Optional: the person's account, if they sign in here."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    reason = ReasonField()


class MeetingForm(StyledModelForm):
    """A new meeting names its committee; an existing one keeps it (its number depends on it)."""

    reason = ReasonField()

    class Meta:
        model = Meeting
        fields = ["committee", "date", "place", "agenda", "summary"]
        widgets = {"date": DATE, "agenda": TEXT, "summary": TEXT}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["committee"]
        else:
            self.fields["committee"].queryset = self.fields["committee"].queryset.filter(
                is_active=True
            )


class MeetingTransitionForm(StyledForm):
    status = forms.ChoiceField(label=_("New status"), choices=MeetingStatus.choices)
    reason = ReasonField()


class MeetingDocumentForm(StyledForm):
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    file = forms.FileField(label=_("File"))
    is_minutes = forms.BooleanField(label=_("Signed minutes"), required=False)


class DecisionForm(StyledModelForm):
    """The number is given on saving (committee, year, next sequence) and never typed."""

    reason = ReasonField()

    class Meta:
        model = Decision
        fields = [
            "committee", "meeting", "decided_on", "kind", "title", "text", "amendment", "owner",
            "due_on",
        ]  # fmt: skip
        widgets = {"decided_on": DATE, "due_on": DATE, "text": TEXT}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = self.fields["meeting"].queryset.select_related(
            "committee"
        )
        self.fields["decided_on"].required = False
        self.fields["decided_on"].help_text = _("Empty: the date of the meeting.")
        if self.instance.pk:
            del self.fields["committee"]
            self.fields["meeting"].queryset = self.fields["meeting"].queryset.filter(
                committee=self.instance.committee_id
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        committee = data.get("committee") or (self.instance.committee if self.instance.pk else None)
        meeting = data.get("meeting")
        if meeting is not None and committee is not None and meeting.committee_id != committee.pk:
            self.add_error("meeting", _("This meeting is another committee's."))
        if data.get("decided_on") is None and "decided_on" not in self.errors:
            if meeting is None:
                self.add_error("decided_on", _("Give the date, or the meeting that decided."))
            else:
                data["decided_on"] = meeting.date
        return data


class FollowUpForm(StyledForm):
    status = forms.ChoiceField(label=_("Follow-up"), choices=FollowUpStatus.choices)
    note = forms.CharField(label=_("Follow-up note"), widget=TEXT, required=False)
    owner = forms.ModelChoiceField(
        label=_("Responsible organisation"), queryset=Organisation.objects.all(), required=False
    )
    due_on = forms.DateField(label=_("Due"), widget=DATE, required=False)
    reason = ReasonField()


class EvaluationForm(StyledModelForm):
    reason = ReasonField()

    class Meta:
        model = Evaluation
        fields = ["title", "programme", "evaluator", "delivered_on", "committee", "summary"]
        widgets = {"delivered_on": DATE, "summary": TEXT}


class RecommendationForm(StyledModelForm):
    """A new recommendation names its evaluation; its status moves with progress notes."""

    reason = ReasonField()

    class Meta:
        model = Recommendation
        fields = ["evaluation", "number", "text", "response", "response_note", "owner", "due_on"]
        widgets = {"due_on": DATE, "text": TEXT, "response_note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["evaluation"]
        else:
            self.fields["number"].required = False
            self.fields["number"].help_text = _("As in the evaluation report; empty: the next one.")


class ProgressNoteForm(StyledForm):
    noted_on = forms.DateField(label=_("Date"), widget=DATE)
    text = forms.CharField(label=_("Progress"), widget=TEXT)
    status_after = forms.ChoiceField(
        label=_("Status after this note"),
        choices=[("", _("Unchanged")), *RecommendationStatus.choices],
        required=False,
    )
    file = forms.FileField(label=_("Evidence"), required=False)
    evidence_title = forms.CharField(
        label=_("Title of the evidence"), max_length=255, required=False
    )
