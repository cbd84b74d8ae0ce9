"""The system's sections and what each role can do: one table, used by the navigation,
the start page and the access tests."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from accounts.actor import Actor
from accounts.permissions import Decision, allow, deny
from accounts.roles import Role

R = Role


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    url_name: str
    roles: frozenset[str]
    summary: str
    coming: tuple[str, ...] = ()

    def allows(self, actor: Actor) -> Decision:
        if actor.is_authenticated and actor.roles & self.roles:
            return allow()
        return deny(_("Your roles in this organisation do not give access to %(section)s.")
                    % {"section": self.label})


SECTIONS: tuple[Section, ...] = (
    Section(
        "portal", _("Applications"), "applications:list",
        frozenset({R.APPLICATION_EDITOR, R.CHIEF_EXECUTIVE, R.DELEGATED_SIGNER,
                   R.MUNICIPALITY_ADMIN}),
        _("Apply for grants in open rounds, sign and submit, follow your applications and "
          "accept grants."),
    ),
    Section(
        "casework", _("Case handling"), "casework:inbox",
        frozenset({R.CASE_OFFICER, R.SYSTEM_ADMIN, R.AUDITOR}),
        _("Screen, assess and decide applications within the round's budget frame."),
        (_("Inbox per round"), _("Screening and rejection"), _("Assessment against criteria"),
         _("Allocation within the budget frame"), _("Decisions with four eyes"),
         _("Grant letters, acceptance and appeals")),
    ),
    Section(
        "finance", _("Finance"), "finance:home",
        frozenset({R.FINANCE_OFFICER, R.AUDITOR, R.SYSTEM_ADMIN}),
        _("Advances, settlements, claw-backs and payment files."),
    ),
    Section(
        "register", _("Participant register"), "register:home",
        frozenset({R.REGISTER_USER, R.MUNICIPALITY_ADMIN}),
        _("Jobbsjanseregisteret: register and follow up the municipality's participants."),
    ),
    Section(
        "reporting", _("Reporting"), "reporting:home",
        frozenset({R.APPLICATION_EDITOR, R.CHIEF_EXECUTIVE, R.DELEGATED_SIGNER,
                   R.MUNICIPALITY_ADMIN, R.REGISTER_USER, R.CASE_OFFICER, R.SYSTEM_ADMIN,
                   R.FINANCE_OFFICER, R.AUDITOR}),
        _("Used places, status reports and grant reports with their deadlines."),
    ),
    Section(
        "insights", _("Insight"), "shell:section_insights",
        frozenset({R.ANALYST, R.SYSTEM_ADMIN, R.CASE_OFFICER, R.AUDITOR}),
        _("Goal achievement and what each financing model costs."),
        (_("Goal achievement (at least 70 % into work or education)"),
         _("Financing models compared for the same participants")),
    ),
    Section(
        "administration", _("Administration"), "shell:section_administration",
        frozenset({R.SYSTEM_ADMIN, R.MUNICIPALITY_ADMIN, R.AUDITOR}),
        _("Users and roles, organisation details and the audit log."),
    ),
)

SECTIONS_BY_KEY = {section.key: section for section in SECTIONS}


def sections_for(actor: Actor) -> list[Section]:
    return [section for section in SECTIONS if section.allows(actor)]


@dataclass(frozen=True)
class Task:
    label: str
    url_name: str
    description: str
    kwargs_from_actor: str | None = None  # "organization" → {"org_id": actor.organization.pk}


# What each role can do today; later issues add their tasks here.
TASKS: dict[str, tuple[Task, ...]] = {
    R.SYSTEM_ADMIN: (
        Task(_("Users and roles"), "accounts:user_list",
             _("Invite users, grant and remove roles in every organisation.")),
        Task(_("Organisations"), "organizations:list",
             _("Municipalities, counties, city districts and regional offices, with their "
               "numbers over time.")),
        Task(_("Audit log"), "audit:search", _("Search who did what, and when.")),
        Task(_("Outbox"), "shell:outbox", _("E-mail sent by the system.")),
        Task(_("Failed background jobs"), "jobs:failed",
             _("Jobs that failed for good, with what went wrong.")),
        Task(_("Schemes and rounds"), "schemes:manage",
             _("Create rounds with deadline, budget frame, rates and who may apply; publish "
               "and close them.")),
        Task(_("Data processing agreements"), "register:agreements",
             _("Record the municipalities' signed agreements for the participant register.")),
        Task(_("Move participants"), "register:move",
             _("When a municipality is split or merged.")),
    ),
    R.AUDITOR: (
        Task(_("Audit log"), "audit:search", _("Search who did what, and when.")),
        Task(_("Organisations"), "organizations:list", _("All organisations and their numbers.")),
    ),
    R.CASE_OFFICER: (
        Task(_("Case handling"), "casework:inbox", _("Applications to screen and assess.")),
        Task(_("Register submissions"), "register:submissions",
             _("Which municipalities have submitted the year, and changes after.")),
        Task(_("Late applications"), "applications:late",
             _("Register an application that came after the deadline, marked late.")),
        Task(_("Organisations"), "organizations:list",
             _("Find an applicant and its regional office.")),
    ),
    R.FINANCE_OFFICER: (
        Task(_("Finance"), "finance:home", _("Payments and settlements.")),
    ),
    R.ANALYST: (
        Task(_("Insight"), "shell:section_insights", _("Goal achievement and model costs.")),
        Task(_("Register data"), "register:analysis",
             _("Aggregates and pseudonymised rows from the participant register.")),
        Task(_("Register submissions"), "register:submissions",
             _("Which municipalities have submitted the year, and changes after.")),
    ),
    R.MUNICIPALITY_ADMIN: (
        Task(_("Users and roles"), "accounts:user_list",
             _("Invite colleagues, give them roles and remove them when they leave.")),
        Task(_("Our organisation"), "organizations:detail",
             _("Organisation number, account number for payments and contact details."),
             kwargs_from_actor="organization"),
        Task(_("Participant register"), "register:home",
             _("The data processing agreement, and who looked at which participant.")),
    ),
    R.REGISTER_USER: (
        Task(_("Participants"), "register:overview",
             _("Register participants and their progress, download the overview.")),
        Task(_("Submit the year"), "register:submission",
             _("Mark the year's records as submitted by 15 February.")),
    ),
    R.APPLICATION_EDITOR: (
        Task(_("Open rounds"), "schemes:open_rounds",
             _("The rounds that take applications now, and whether you may apply.")),
        Task(_("Applications"), "applications:list", _("Write applications in open rounds.")),
        Task(_("Reporting"), "reporting:list", _("Reports the grants require.")),
    ),
    R.CHIEF_EXECUTIVE: (
        Task(_("Applications to sign"), "applications:list",
             _("Review and sign applications, accept grants.")),
    ),
    R.DELEGATED_SIGNER: (
        Task(_("Applications to sign"), "applications:list",
             _("Review and sign applications with delegated authority.")),
    ),
}
