"""Laboratories, staff counts, fast-track campaigns and validation requests as resources: their
pages, API routes, exports and steps come from these declarations (core/registry.py). Storing
and downloading a signed report file are plain views (views.py)."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, ModelSchema, Schema

from pilotage.certification import selectors, services
from pilotage.certification.filters import (
    CampaignFilter,
    CertificateFilter,
    LaboratoryFilter,
    StaffCountFilter,
    ValidationRequestFilter,
)
from pilotage.certification.forms import (
    CampaignForm,
    CertificateIssueForm,
    CertificateStatusForm,
    DecideForm,
    LaboratoryForm,
    ReportFileForm,
    ReportForm,
    SampleForm,
    StaffCountForm,
    TestingForm,
    TestResultForm,
    ValidationRequestForm,
)
from pilotage.certification.models import (
    SUPERVISION_RATE_DEFINITION,
    Certificate,
    Decision,
    FastTrackCampaign,
    Laboratory,
    RequestStage,
    StaffCount,
    TestResult,
    ValidationRequest,
    Verdict,
)
from pilotage.core import access
from pilotage.core.registry import Resource, Step, register
from pilotage.core.tables import Column


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value} %".replace(".", ",")


def _fast_track(request: ValidationRequest) -> Any:
    return request.campaign.code if request.campaign else None


def _late(request: ValidationRequest) -> Any:
    return _("Late") if request.is_late else None


# --- schemas: what the API answers for one row --------------------------------------------------


class LaboratoryOut(ModelSchema):
    cti_id: int
    cti_acronym: str = Field(alias="cti.acronym")
    accreditation_state: str

    class Meta:
        model = Laboratory
        fields = [
            "id", "name", "site", "region", "domain", "opened_on", "accreditation_number",
            "accreditation_scope", "accredited_until", "equipment", "is_active",
        ]  # fmt: skip


class StaffCountOut(ModelSchema):
    cti_id: int
    cti_acronym: str = Field(alias="cti.acronym")
    total: int
    supervision_rate: Decimal | None = Field(
        description="Taux d'encadrement in percent: graduates / total staff (computed)."
    )

    class Meta:
        model = StaffCount
        fields = ["id", "year", "graduates", "technicians", "administrative", "note"]


class CampaignOut(ModelSchema):
    categories: list[str]

    class Meta:
        model = FastTrackCampaign
        fields = [
            "id", "code", "title", "product_categories", "opened_on", "closes_on",
            "decision_hours", "description",
        ]  # fmt: skip


class TestResultOut(ModelSchema):
    request_id: int

    class Meta:
        model = TestResult
        fields = [
            "id", "method", "characteristic", "measured_value", "unit", "limit", "verdict",
            "tested_on",
        ]  # fmt: skip


class ReportFileOut(Schema):
    id: int
    title: str
    sha256: str
    size: int
    uploaded_at: datetime


class ValidationRequestOut(ModelSchema):
    delivery_id: int
    reference: str = Field(alias="delivery.reference")
    cti_id: int = Field(alias="delivery.cti_id")
    company_id: int = Field(alias="delivery.company_id")
    company_ice: str = Field(alias="delivery.company.ice")
    laboratory_id: int | None
    campaign_id: int | None
    is_fast_track: bool
    decision_due_at: datetime | None
    is_late: bool
    tests: list[TestResultOut]
    reports: list[ReportFileOut]

    class Meta:
        model = ValidationRequest
        fields = [
            "id", "purpose", "product", "product_category", "referential_kind", "referential",
            "stage", "received_on", "sample_received_at", "testing_started_at",
            "report_issued_at", "decided_at", "decision", "decision_note",
        ]  # fmt: skip


class CertificateOut(ModelSchema):
    cti_id: int
    cti_acronym: str = Field(alias="cti.acronym")
    request_id: int
    holder_id: int
    holder_ice: str = Field(alias="holder.ice")
    current_status: str
    verification_url: str = Field(description="What the QR code carries: a token signed Ed25519")

    class Meta:
        model = Certificate
        fields = [
            "id", "number", "product", "referential", "scope", "issued_on", "valid_until",
            "status", "status_changed_on", "status_reason", "short_code",
        ]  # fmt: skip

    @staticmethod
    def resolve_verification_url(certificate: Certificate) -> str:
        return selectors.verification_url(certificate)


# --- declarations ----------------------------------------------------------------------------


class Laboratories(Resource):
    model = Laboratory
    path = "laboratories"
    form = LaboratoryForm
    filterset = LaboratoryFilter
    title = gettext_lazy("Laboratories")
    title_create = gettext_lazy("New laboratory")
    title_edit = gettext_lazy("Edit laboratory")
    related = ("cti",)
    columns = [
        Column("name", gettext_lazy("Name"), sort="name", link=True),
        Column("cti", gettext_lazy("CTI"), accessor="cti.acronym", sort="cti__acronym"),
        Column("site", gettext_lazy("Site"), sort="site"),
        Column("region", gettext_lazy("Region"), sort="region"),
        Column("domain", gettext_lazy("Domain"), sort="domain"),
        Column("accreditation_number", gettext_lazy("SEMAC accreditation"),
               sort="accreditation_number"),
        Column("accredited_until", gettext_lazy("Accredited until"), sort="accredited_until"),
        Column("accreditation_state", gettext_lazy("Accreditation")),
        Column("is_active", gettext_lazy("In service"), sort="is_active"),
    ]  # fmt: skip
    default_sort = "name"
    create_service = staticmethod(services.laboratory_create)
    update_service = staticmethod(services.laboratory_update)
    schema = LaboratoryOut
    api_summary = "Laboratories and their accreditations"
    detail_template = "certification/laboratory_detail.html"

    def detail_context(self, request: HttpRequest, obj: Laboratory) -> dict[str, Any]:
        requests = selectors.request_inbox(request.user).filter(laboratory=obj)
        return {"requests": requests.order_by("queue", "-received_on", "pk")[:20]}


class StaffCounts(Resource):
    model = StaffCount
    path = "staff"
    form = StaffCountForm
    filterset = StaffCountFilter
    title = gettext_lazy("Staff and taux d'encadrement")
    title_create = gettext_lazy("New staff count")
    title_edit = gettext_lazy("Edit staff count")
    related = ("cti",)
    columns = [
        Column("cti", gettext_lazy("CTI"), accessor="cti.acronym", sort="cti__acronym"),
        Column("year", gettext_lazy("Year"), sort="year", link=True),
        Column("graduates", gettext_lazy("Engineers and doctors"), sort="graduates"),
        Column("technicians", gettext_lazy("Technicians"), sort="technicians"),
        Column("administrative", gettext_lazy("Administrative"), sort="administrative"),
        Column("total", gettext_lazy("Total")),
        Column("rate", gettext_lazy("Taux d'encadrement"),
               accessor=lambda count: _percent(count.supervision_rate)),
    ]  # fmt: skip
    default_sort = "-year"
    create_service = staticmethod(services.staffcount_create)
    update_service = staticmethod(services.staffcount_update)
    schema = StaffCountOut
    api_summary = "Headcount by year and category; the taux d'encadrement is computed"
    detail_template = "certification/staffcount_detail.html"

    def totals(self, queryset: Any) -> dict[str, Any]:
        sums = selectors.staff_totals(queryset)
        return {
            "cti": _("Total"),
            "graduates": sums["graduates"] or 0,
            "technicians": sums["technicians"] or 0,
            "administrative": sums["administrative"] or 0,
            "total": sums["total"],
            "rate": _percent(sums["rate"]),
        }

    def detail_context(self, request: HttpRequest, obj: StaffCount) -> dict[str, Any]:
        return {"definition": SUPERVISION_RATE_DEFINITION}


class Campaigns(Resource):
    model = FastTrackCampaign
    path = "fast-track-campaigns"
    form = CampaignForm
    filterset = CampaignFilter
    title = gettext_lazy("Fast-track campaigns")
    title_create = gettext_lazy("New fast-track campaign")
    title_edit = gettext_lazy("Edit fast-track campaign")
    columns = [
        Column("code", gettext_lazy("Code"), sort="code", link=True),
        Column("title", gettext_lazy("Title"), sort="title"),
        Column("product_categories", gettext_lazy("Product categories"),
               accessor=lambda campaign: ", ".join(campaign.categories)),
        Column("opened_on", gettext_lazy("Opened on"), sort="opened_on"),
        Column("closes_on", gettext_lazy("Closes on"), sort="closes_on"),
        Column("decision_hours", gettext_lazy("Deadline (hours)"), sort="decision_hours"),
    ]  # fmt: skip
    default_sort = "-opened_on"
    create_service = staticmethod(services.campaign_create)
    update_service = staticmethod(services.campaign_update)
    schema = CampaignOut
    api_summary = "Emergency fast-track campaigns"
    detail_template = "certification/campaign_detail.html"

    def detail_context(self, request: HttpRequest, obj: FastTrackCampaign) -> dict[str, Any]:
        requests = selectors.request_inbox(request.user).filter(campaign=obj)
        return {
            "figures": selectors.campaign_figures(obj, request.user),
            "requests": requests.order_by("queue", "-received_on", "pk")[:50],
        }


class ValidationRequests(Resource):
    """The CTI's inbox of validation requests: fast-track ones still open come first."""

    model = ValidationRequest
    path = "validation-requests"
    form = ValidationRequestForm
    filterset = ValidationRequestFilter
    title = gettext_lazy("Validation requests")
    title_create = gettext_lazy("New validation request")
    title_edit = gettext_lazy("Edit validation request")
    prefetch = ("tests", "reports")
    columns = [
        Column("queue", gettext_lazy("Fast-track"), accessor=_fast_track,
               sort=("queue", "-received_on")),
        Column("reference", gettext_lazy("Reference"), accessor="delivery.reference",
               sort="delivery__reference", link=True),
        Column("cti", gettext_lazy("CTI"), accessor="delivery.cti.acronym",
               sort="delivery__cti__acronym"),
        Column("company", gettext_lazy("Company"), accessor="delivery.company.name",
               sort="delivery__company__name"),
        Column("ice", gettext_lazy("ICE"), accessor="delivery.company.ice"),
        Column("product", gettext_lazy("Product"), sort="product"),
        Column("referential", gettext_lazy("Referential"), sort="referential"),
        Column("received_on", gettext_lazy("Received on"), sort="received_on"),
        Column("stage", gettext_lazy("Stage"), sort="stage"),
        Column("decision", gettext_lazy("Decision"), sort="decision"),
        Column("decision_due_at", gettext_lazy("Decision due")),
        Column("late", gettext_lazy("Late"), accessor=_late),
    ]  # fmt: skip
    default_sort = "queue"
    create_service = staticmethod(services.validation_request_create)
    update_service = staticmethod(services.validation_request_update)
    prefill = ("campaign", "laboratory")
    steps = (
        Step("sample", "sample_receive", form=SampleForm, action="record",
             done_message=gettext_lazy("Sample received."),
             take=lambda actor, request, data: services.sample_receive(
                 actor=actor, request=request, **data)),
        Step("testing", "testing_start", form=TestingForm, action="record",
             done_message=gettext_lazy("Testing started."),
             take=lambda actor, request, data: services.testing_start(
                 actor=actor, request=request, **data)),
        Step("tests", "test_record", form=TestResultForm, action="record",
             done_message=gettext_lazy("Test recorded."), answer=TestResultOut, creates=True,
             take=lambda actor, request, data: services.test_record(
                 actor=actor, request=request, **data)),
        Step("report", "report_issue", form=ReportForm, action="record",
             done_message=gettext_lazy("Report issued."),
             summary="Issue the report (its signed file is stored first: POST …/report-file)",
             take=lambda actor, request, data: services.report_issue(
                 actor=actor, request=request, at=data.get("at"), upload=data.get("file"),
                 reason=data.get("reason", ""))),
        Step("decision", "request_decide", form=DecideForm, action="decide",
             done_message=gettext_lazy("Decision recorded."),
             take=lambda actor, request, data: services.request_decide(
                 actor=actor, request=request, **data)),
        Step("certificate", "certificate_issue", form=CertificateIssueForm, action="certify",
             done_message=gettext_lazy("Certificate issued."), answer=CertificateOut,
             creates=True,
             take=lambda actor, request, data: services.certificate_issue(
                 actor=actor, request=request, **data)),
    )  # fmt: skip
    schema = ValidationRequestOut
    api_summary = "Product validation requests (fast-track first)"
    detail_template = "certification/validationrequest_detail.html"

    def queryset(self, user: Any) -> Any:
        return selectors.request_inbox(user).prefetch_related(*self.prefetch)

    def detail_context(self, request: HttpRequest, obj: ValidationRequest) -> dict[str, Any]:
        user = request.user
        tests = obj.tests.all()
        forms = {
            name: form(user=user, initial={"laboratory": obj.laboratory_id})
            for name, form in STEP_FORMS.get(RequestStage(obj.stage), {}).items()
        }
        return {
            **forms,
            "stages": obj.step_dates(),
            "tests": tests,
            "reports": obj.reports.all(),
            "failed_tests": sum(1 for test in tests if test.verdict == Verdict.FAIL),
            "may_record": access.can(user, "record", obj),
            "may_decide": access.can(user, "decide", obj),
            "certificate": Certificate.objects.visible_to(user).filter(request=obj).first(),
            "certificate_form": CertificateIssueForm(user=user)
            if obj.decision == Decision.CONFORMING and access.can(user, "certify", obj)
            else None,
        }


# The step forms a request's page offers at each stage.
STEP_FORMS: dict[RequestStage, dict[str, Any]] = {
    RequestStage.RECEIVED: {"sample_form": SampleForm},
    RequestStage.SAMPLE_RECEIVED: {"testing_form": TestingForm},
    RequestStage.TESTING: {
        "test_form": TestResultForm, "report_form": ReportForm, "report_file_form": ReportFileForm,
    },
    RequestStage.REPORT_ISSUED: {"report_file_form": ReportFileForm, "decide_form": DecideForm},
}  # fmt: skip


class Certificates(Resource):
    """The register of certificates; a certificate is issued from its request's page (a step)
    and never edited: its status moves by the steps below, each with its reason."""

    model = Certificate
    path = "certificates"
    filterset = CertificateFilter
    title = gettext_lazy("Certificates")
    related = ("cti", "holder")
    columns = [
        Column("number", gettext_lazy("Number"), sort="number", link=True),
        Column("cti", gettext_lazy("CTI"), accessor="cti.acronym", sort="cti__acronym"),
        Column("holder", gettext_lazy("Holder"), accessor="holder.name", sort="holder__name"),
        Column("ice", gettext_lazy("ICE"), accessor="holder.ice"),
        Column("product", gettext_lazy("Product"), sort="product"),
        Column("referential", gettext_lazy("Referential"), sort="referential"),
        Column("issued_on", gettext_lazy("Issued on"), sort="issued_on"),
        Column("valid_until", gettext_lazy("Valid until"), sort="valid_until"),
        Column("current_status", gettext_lazy("Status"), sort="status"),
    ]  # fmt: skip
    default_sort = "-issued_on"
    steps = (
        Step("status", "certificate_status", form=CertificateStatusForm, action="sanction",
             done_message=gettext_lazy("Status changed."),
             take=lambda actor, certificate, data: services.certificate_status_change(
                 actor=actor, certificate=certificate, **data)),
    )  # fmt: skip
    schema = CertificateOut
    api_summary = "Certificates issued, with their current status"
    detail_template = "certification/certificate_detail.html"

    def detail_context(self, request: HttpRequest, obj: Certificate) -> dict[str, Any]:
        may_sanction = access.can(request.user, "sanction", obj) and bool(
            services.CERTIFICATE_TRANSITIONS[obj.current_status] - {"expired"}
        )
        return {
            "verification_url": selectors.verification_url(obj),
            "status_form": CertificateStatusForm(user=request.user) if may_sanction else None,
        }


RESOURCES = register(ValidationRequests, Certificates, Campaigns, Laboratories, StaffCounts)
