"""Who reads what, written out apart from the models' `@access_rule` declarations: the policy the
access matrix checks the code against (DESIGN §5). Widening a model's readers, or making it a
directory or open data, takes a change here too, seen in review; otherwise the matrix fails.
Conditions on rows (published offerings, plan-wide objectives) stay in the declarations."""

from pilotage.core.roles import EVERY_ROLE, Role

PEOPLE_READERS = {Role.AUDITOR, Role.CTI_MANAGER, Role.MINISTRY_ADMIN, Role.MINISTRY_OFFICER}

READERS = {
    "core.apitoken": {Role.AUDITOR},
    "core.membership": PEOPLE_READERS,
    "core.notification": set(),  # the recipient's only
    "core.notificationpreference": set(),  # the person's only
    "core.organisation": EVERY_ROLE,
    "core.user": PEOPLE_READERS,
    "certification.certificate": EVERY_ROLE,
    "certification.fasttrackcampaign": EVERY_ROLE,
    "certification.laboratory": EVERY_ROLE,
    "certification.staffcount": EVERY_ROLE,
    "certification.testresult": EVERY_ROLE,
    "certification.validationreport": EVERY_ROLE,
    "certification.validationrequest": EVERY_ROLE,
    "fund.allocation": EVERY_ROLE,
    "fund.commitment": EVERY_ROLE,
    "fund.entry": EVERY_ROLE,
    "fund.performancetranche": EVERY_ROLE,
    "fund.trancheweight": EVERY_ROLE,
    "fund.tranchecomputation": EVERY_ROLE,
    "governance.committee": EVERY_ROLE,
    "governance.committeemember": EVERY_ROLE,
    "governance.decision": EVERY_ROLE,
    "governance.evaluation": EVERY_ROLE,
    "governance.meeting": EVERY_ROLE,
    "governance.meetingdocument": EVERY_ROLE,
    "governance.progressevidence": EVERY_ROLE,
    "governance.progressnote": EVERY_ROLE,
    "governance.recommendation": EVERY_ROLE,
    "programmes.agreement": EVERY_ROLE,
    "programmes.agreementdocument": EVERY_ROLE,
    "programmes.agreementparty": EVERY_ROLE,
    "programmes.amendment": EVERY_ROLE,
    "programmes.deliverable": EVERY_ROLE,
    "programmes.paymenttranche": EVERY_ROLE,
    "programmes.programme": EVERY_ROLE,
    "programmes.strategicaxis": EVERY_ROLE,
    "projects.budgetline": EVERY_ROLE,
    "projects.milestone": EVERY_ROLE,
    "projects.milestoneevidence": EVERY_ROLE,
    "projects.participant": EVERY_ROLE,
    "projects.project": EVERY_ROLE,
    "projects.theme": EVERY_ROLE,
    "results.evidence": EVERY_ROLE,
    "results.indicator": EVERY_ROLE,
    "results.measurement": EVERY_ROLE,
    "results.measurementevent": EVERY_ROLE,
    "results.objective": EVERY_ROLE,
    "results.reportingperiod": EVERY_ROLE,
    "results.target": EVERY_ROLE,
    "services.company": EVERY_ROLE,
    "training.attendance": EVERY_ROLE,
    "training.cohort": EVERY_ROLE,
    "training.trainee": EVERY_ROLE,
    "training.trainingprogramme": EVERY_ROLE,
    "training.trainingsession": EVERY_ROLE,
    "standards.standardwork": EVERY_ROLE,
    "services.servicedelivery": EVERY_ROLE,
    "services.serviceimport": EVERY_ROLE,
    "services.serviceoffering": EVERY_ROLE,
    "services.servicerequest": EVERY_ROLE,
    # Report editions: not the CID's nor a partner's (a plan's figures, CTI by CTI); a published
    # edition is open data (its row condition is in the declaration).
    "reports.reportedition": EVERY_ROLE - {Role.CID_MANAGER, Role.PARTNER_VIEWER},
    "reports.editionfile": EVERY_ROLE - {Role.CID_MANAGER, Role.PARTNER_VIEWER},
}

# Every signed-in person reads every row (reference data, the committee's public record).
DIRECTORY = {
    "core.organisation", "programmes.programme", "programmes.strategicaxis",
    "results.reportingperiod", "governance.committee", "governance.committeemember",
    "governance.meeting", "governance.meetingdocument", "governance.decision",
    "governance.evaluation", "governance.recommendation", "governance.progressnote",
    "governance.progressevidence", "certification.fasttrackcampaign", "projects.theme",
}  # fmt: skip

# Anonymous visitors read every row (open data). None yet.
OPEN_DATA: set[str] = set()

# Who takes each declared action (workflow step), written out like the readers above.
CTI_PEOPLE = {Role.CTI_MANAGER, Role.CTI_STAFF}
MINISTRY = {Role.MINISTRY_ADMIN, Role.MINISTRY_OFFICER}
ACTIONS = {
    ("results.measurement", "enter"): CTI_PEOPLE,
    ("results.measurement", "submit"): {Role.CTI_MANAGER},
    ("results.measurement", "review"): MINISTRY,
    ("results.measurement", "revise"): CTI_PEOPLE,
    ("results.measurement", "attach_evidence"): CTI_PEOPLE,
    ("services.company", "override_ice"): MINISTRY,
    ("programmes.agreement", "write_ministry_kinds"): MINISTRY,
    ("services.servicerequest", "answer"): CTI_PEOPLE,
    ("governance.decision", "oversee"): MINISTRY | {Role.COMMITTEE_MEMBER},
    ("core.user", "activate"): {Role.MINISTRY_ADMIN},
    ("certification.validationrequest", "record"): CTI_PEOPLE,
    ("certification.validationrequest", "decide"): {Role.CTI_MANAGER},
    ("certification.validationrequest", "certify"): {Role.CTI_MANAGER},
    ("certification.certificate", "sanction"): {Role.CTI_MANAGER} | MINISTRY,
    ("projects.project", "approve"): MINISTRY,
    ("programmes.deliverable", "deliver"): CTI_PEOPLE | MINISTRY | {Role.CID_MANAGER},
    ("programmes.deliverable", "review"): MINISTRY | {Role.CID_MANAGER},
    ("programmes.paymenttranche", "pay"): MINISTRY | {Role.CID_MANAGER},
    ("reports.reportedition", "publish"): MINISTRY,
}
