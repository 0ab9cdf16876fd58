from django.contrib import admin

from pilotage.core.admin import AccessModelAdmin, admin_site
from pilotage.governance.models import (
    Committee,
    CommitteeMember,
    Decision,
    Evaluation,
    Meeting,
    ProgressNote,
    Recommendation,
)


@admin.register(Committee, site=admin_site)
class CommitteeAdmin(AccessModelAdmin):
    list_display = ["code", "name", "programme", "agreement", "is_active"]


@admin.register(CommitteeMember, site=admin_site)
class CommitteeMemberAdmin(AccessModelAdmin):
    list_display = ["committee", "organisation", "person_name", "user", "role"]
    list_filter = ["committee", "role"]


@admin.register(Meeting, site=admin_site)
class MeetingAdmin(AccessModelAdmin):
    list_display = ["committee", "number", "date", "status"]
    list_filter = ["committee", "status"]


@admin.register(Decision, site=admin_site)
class DecisionAdmin(AccessModelAdmin):
    list_display = ["number", "decided_on", "kind", "title", "follow_up_status", "due_on"]
    list_filter = ["committee", "kind", "follow_up_status"]
    search_fields = ["number", "title"]


@admin.register(Evaluation, site=admin_site)
class EvaluationAdmin(AccessModelAdmin):
    list_display = ["title", "programme", "evaluator", "delivered_on"]


@admin.register(Recommendation, site=admin_site)
class RecommendationAdmin(AccessModelAdmin):
    list_display = ["evaluation", "number", "response", "owner", "due_on", "status"]
    list_filter = ["response", "status"]


@admin.register(ProgressNote, site=admin_site)
class ProgressNoteAdmin(AccessModelAdmin):
    list_display = ["recommendation", "noted_on", "status_after", "author"]
