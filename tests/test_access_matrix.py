"""Every URL pattern × every role: who is allowed, who is denied.

The table below must name every URL pattern in the project; a new page without a row
fails this test, so nobody can add a page without deciding who may see it. Later issues
add their rows.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import RoleAssignment, User
from organizations.models import Organization
from tests.conftest import login_as, seen

pytestmark = pytest.mark.django_db

# One demo user per role (the user's first organisation is the active one).
ROLE_USERS = {
    "system_admin": "ingrid.admin",
    "case_officer": "ola.saksbehandler",
    "finance_officer": "per.okonomi",
    "analyst": "aisha.analytiker",
    "auditor": "lars.revisor",
    "municipality_admin": "mona.kommuneadmin",
    "register_user": "jonas.registrering",
    "application_editor": "eva.soknad",
    "chief_executive": "tor.kommunedirektor",
    "delegated_signer": "hilde.fullmakt",
}
ALL = frozenset(ROLE_USERS)
DIRECTORATE = frozenset({"system_admin", "case_officer", "finance_officer", "analyst", "auditor"})
PUBLIC = "public"

# url name → (method, roles allowed | PUBLIC). Object URLs use objects of Drammen (3301),
# where the municipal demo users work, so "allowed" means allowed on one's own objects.
MATRIX: dict[str, tuple[str, frozenset[str] | str]] = {
    "shell:home": ("get", PUBLIC),  # visitors see the open rounds and the log-in
    "shell:favicon": ("get", PUBLIC),
    "casework:inbox": ("get", frozenset({"case_officer", "system_admin", "auditor"})),
    "casework:case": ("get", frozenset({"case_officer", "system_admin", "auditor"})),
    "casework:assign": ("post", frozenset({"case_officer", "system_admin"})),
    "casework:note": ("post", frozenset({"case_officer", "system_admin"})),
    "casework:attachment": ("get", frozenset({"case_officer", "system_admin", "auditor"})),
    "casework:receipt": ("get", frozenset({"case_officer", "system_admin", "auditor"})),
    "casework:screen": ("post", frozenset({"case_officer", "system_admin"})),
    "casework:assess": ("post", frozenset({"case_officer", "system_admin"})),
    "casework:propose": ("post", frozenset({"case_officer", "system_admin"})),
    "casework:approve": ("post", frozenset({"case_officer", "system_admin"})),
    "casework:extend": ("post", frozenset({"case_officer", "system_admin"})),
    "casework:appeal_action": ("post", frozenset({"case_officer", "system_admin"})),
    "casework:change_decide": ("post", frozenset({"case_officer", "system_admin"})),
    "grant:change_request": ("post", frozenset({"application_editor",
                                                       "chief_executive", "delegated_signer",
                                                       "municipality_admin"})),
    "grant:appeal": ("post", frozenset({"application_editor", "chief_executive",
                                               "delegated_signer", "municipality_admin"})),
    "grant:accept": ("post", frozenset({"chief_executive", "delegated_signer"})),
    "casework:summary": ("get", frozenset({"case_officer", "system_admin", "auditor"})),
    "casework:letter": ("get", frozenset({"case_officer", "system_admin", "auditor"})),
    "grant:letter": ("get", frozenset({"application_editor", "chief_executive",
                                              "delegated_signer", "municipality_admin"})),
    "finance:home": ("get", frozenset({"finance_officer", "auditor", "system_admin"})),
    "finance:due": ("get", frozenset({"finance_officer", "auditor", "system_admin"})),
    "finance:run_create": ("post", frozenset({"finance_officer"})),
    "finance:account_confirm": ("post", frozenset({"finance_officer"})),
    "finance:runs": ("get", frozenset({"finance_officer", "auditor", "system_admin"})),
    "finance:run": ("get", frozenset({"finance_officer", "auditor", "system_admin"})),
    "finance:run_remove": ("post", frozenset({"finance_officer"})),
    "finance:run_approve": ("post", frozenset({"finance_officer"})),
    "finance:run_sent": ("post", frozenset({"finance_officer"})),
    "finance:run_file": ("get", frozenset({"finance_officer"})),
    "finance:status_import": ("post", frozenset({"finance_officer"})),
    "finance:grant": ("get", frozenset({
        "application_editor", "chief_executive", "delegated_signer", "municipality_admin",
        "register_user", "finance_officer", "auditor", "system_admin", "case_officer"})),
    "finance:payment": ("get", frozenset({
        "application_editor", "chief_executive", "delegated_signer", "municipality_admin",
        "register_user", "finance_officer", "auditor", "system_admin", "case_officer"})),
    "finance:reaction_letter": ("get", frozenset({
        "application_editor", "chief_executive", "delegated_signer", "municipality_admin",
        "register_user", "finance_officer", "auditor", "system_admin", "case_officer"})),
    "finance:reaction_propose": ("post", frozenset({"case_officer", "finance_officer"})),
    "finance:reaction_approve": ("post", frozenset({"case_officer", "finance_officer"})),
    "finance:reaction_withdraw": ("post", frozenset({"case_officer", "finance_officer"})),
    "finance:reaction_lift": ("post", frozenset({"case_officer", "finance_officer"})),
    "finance:ledger": ("get", frozenset({"finance_officer", "auditor", "system_admin"})),
    "finance:appropriation": ("post", frozenset({"finance_officer"})),
    "finance:receivable_paid": ("post", frozenset({"finance_officer"})),
    "finance:run_vouchers": ("get", frozenset({"finance_officer"})),
    "reporting:home": ("get", frozenset({
        "application_editor", "chief_executive", "delegated_signer", "municipality_admin",
        "register_user", "case_officer", "system_admin", "finance_officer", "auditor"})),
    "reporting:list": ("get", frozenset({
        "application_editor", "chief_executive", "delegated_signer", "municipality_admin",
        "register_user"})),
    "reporting:round": ("get", frozenset({"case_officer", "system_admin", "finance_officer",
                                          "auditor"})),
    "reporting:detail": ("get", frozenset({
        "application_editor", "chief_executive", "delegated_signer", "municipality_admin",
        "register_user", "case_officer", "system_admin", "finance_officer", "auditor"})),
    "reporting:receipt": ("get", frozenset({
        "application_editor", "chief_executive", "delegated_signer", "municipality_admin",
        "register_user", "case_officer", "system_admin", "finance_officer", "auditor"})),
    "reporting:certify": ("post", frozenset({"chief_executive", "delegated_signer"})),
    "reporting:grant": ("get", frozenset({
        "application_editor", "chief_executive", "delegated_signer", "municipality_admin",
        "register_user", "case_officer", "system_admin", "finance_officer", "auditor"})),
    "reporting:obligation_add": ("post", frozenset({"case_officer", "system_admin"})),
    "reporting:review": ("post", frozenset({"case_officer", "system_admin"})),
    "reporting:write": ("get", frozenset({"application_editor", "chief_executive",
                                          "delegated_signer"})),
    "reporting:send": ("post", frozenset({"application_editor", "chief_executive",
                                         "delegated_signer"})),
    "reporting:return": ("post", frozenset({"application_editor", "chief_executive",
                                           "delegated_signer"})),
    "reporting:approve": ("post", frozenset({"application_editor", "chief_executive",
                                            "delegated_signer"})),
    "reporting:attachment_add": ("post", frozenset({"application_editor", "chief_executive",
                                                   "delegated_signer"})),
    "reporting:attachment_remove": ("post", frozenset({"application_editor",
                                                      "chief_executive", "delegated_signer"})),
    "reporting:attachment": ("get", frozenset({
        "application_editor", "chief_executive", "delegated_signer", "municipality_admin",
        "register_user", "case_officer", "system_admin", "finance_officer", "auditor"})),
    "reporting:version_receipt": ("get", frozenset({
        "application_editor", "chief_executive", "delegated_signer", "municipality_admin",
        "register_user", "case_officer", "system_admin", "finance_officer", "auditor"})),
    "shell:section_insights": ("get", frozenset({"analyst", "system_admin", "case_officer",
                                                "auditor"})),
    "shell:section_administration": ("get", frozenset({"system_admin", "municipality_admin",
                                                      "auditor"})),
    "shell:outbox": ("get", frozenset({"system_admin"})),
    "jobs:failed": ("get", frozenset({"system_admin"})),
    # A job is its owner's alone: no role sees another's (the owner is tested in tests/jobs).
    "jobs:detail": ("get", frozenset()),
    "jobs:download": ("get", frozenset()),
    "shell:help": ("get", PUBLIC),
    "shell:faq": ("get", PUBLIC),
    "shell:contact": ("get", PUBLIC),
    "shell:accessibility": ("get", PUBLIC),
    "shell:privacy": ("get", PUBLIC),
    "shell:health": ("get", PUBLIC),
    "shell:ready": ("get", PUBLIC),
    "shell:set_language": ("post", PUBLIC),
    "accounts:login": ("get", PUBLIC),
    "accounts:login_code": ("get", PUBLIC),
    "accounts:logout": ("post", PUBLIC),
    "accounts:two_factor_enroll": ("get", PUBLIC),
    "accounts:backup_codes": ("get", ALL),
    "accounts:reauthenticate": ("get", ALL),
    "accounts:password_change": ("get", ALL),
    "accounts:password_reset": ("get", PUBLIC),
    "accounts:password_reset_done": ("get", PUBLIC),
    "accounts:password_reset_confirm": ("get", PUBLIC),
    "accounts:password_reset_complete": ("get", PUBLIC),
    "accounts:invitation_accept": ("get", PUBLIC),
    "accounts:profile": ("get", ALL),
    "accounts:switch_organization": ("post", ALL),
    "accounts:user_list": ("get", frozenset({"system_admin", "municipality_admin"})),
    "accounts:user_invite": ("get", frozenset({"system_admin", "municipality_admin"})),
    "accounts:user_detail": ("get", frozenset({"system_admin", "municipality_admin"})),
    "accounts:role_grant": ("post", frozenset({"system_admin", "municipality_admin"})),
    "accounts:role_revoke": ("post", frozenset({"system_admin", "municipality_admin"})),
    "accounts:user_remove": ("post", frozenset({"system_admin", "municipality_admin"})),
    "accounts:two_factor_reset": ("post", frozenset({"system_admin"})),
    "accounts:signer_list": ("get", frozenset({"system_admin", "case_officer", "auditor"})),
    "organizations:list": ("get", DIRECTORATE),
    "organizations:detail": ("get", ALL),
    "organizations:edit": ("get", frozenset({"system_admin", "municipality_admin"})),
    "audit:search": ("get", frozenset({"system_admin", "auditor"})),
    "register:home": ("get", frozenset({"register_user", "municipality_admin"})),
    "register:overview": ("get", frozenset({"register_user"})),
    "register:overview_search": ("post", frozenset({"register_user"})),
    "register:export_csv": ("get", frozenset({"register_user"})),
    "register:export_xlsx": ("get", frozenset({"register_user"})),
    "register:participant_create": ("get", frozenset({"register_user"})),
    "register:participant_detail": ("get", frozenset({"register_user"})),
    "register:participant_page": ("get", frozenset({"register_user"})),
    "register:participant_justify": ("post", frozenset({"register_user"})),
    "register:participant_discharge": ("get", frozenset({"register_user"})),
    "register:participant_delete": ("get", frozenset({"register_user"})),
    "register:measure_remove": ("post", frozenset({"register_user"})),
    "register:measure_edit": ("get", frozenset({"register_user"})),
    "register:submission": ("get", frozenset({"register_user"})),
    "register:help": ("get", frozenset({"register_user", "municipality_admin"})),
    "register:info_letter": ("get", frozenset({"register_user", "municipality_admin"})),
    "register:access_log": ("get", frozenset({"municipality_admin"})),
    "register:agreements": ("get", frozenset({"system_admin"})),
    "register:submissions": ("get", frozenset({"system_admin", "case_officer", "analyst",
                                               "auditor"})),
    "register:analysis": ("get", frozenset({"analyst"})),
    "register:move": ("get", frozenset({"system_admin"})),
    "applications:list": ("get", frozenset({"application_editor", "chief_executive",
                                            "delegated_signer", "municipality_admin"})),
    "applications:start": ("post", frozenset({"application_editor"})),
    "applications:detail": ("get", frozenset({"application_editor", "chief_executive",
                                              "delegated_signer", "municipality_admin"})),
    "applications:send": ("post", frozenset({"application_editor"})),
    "applications:return": ("post", frozenset({"chief_executive", "delegated_signer"})),
    "applications:sign": ("post", frozenset({"chief_executive", "delegated_signer"})),
    "applications:receipt": ("get", frozenset({"application_editor", "chief_executive",
                                               "delegated_signer", "municipality_admin"})),
    "applications:withdraw": ("post", frozenset({"application_editor", "chief_executive",
                                                 "delegated_signer", "municipality_admin"})),
    "applications:partner_add": ("post", frozenset({"application_editor"})),
    "applications:partner_answer": ("post", frozenset({"chief_executive", "delegated_signer",
                                                       "municipality_admin"})),
    "applications:late": ("get", frozenset({"case_officer", "system_admin"})),
    "applications:attachment_add": ("post", frozenset({"application_editor"})),
    "applications:attachment": ("get", frozenset({"application_editor", "chief_executive",
                                                  "delegated_signer", "municipality_admin"})),
    "applications:attachment_remove": ("post", frozenset({"application_editor"})),
    "applications:partner_remove": ("post", frozenset({"application_editor"})),
    "schemes:open_rounds": ("get", PUBLIC),
    "schemes:round_detail": ("get", PUBLIC),
    "grant:recipients": ("get", PUBLIC),
    "schemes:manage": ("get", frozenset({"system_admin"})),
    "schemes:round_create": ("get", frozenset({"system_admin"})),
    "schemes:round_edit": ("get", frozenset({"system_admin"})),
    "schemes:round_publish": ("post", frozenset({"system_admin"})),
    "schemes:round_close": ("post", frozenset({"system_admin"})),
    "schemes:focus_area_add": ("post", frozenset({"system_admin"})),
    "schemes:reporting_duty_add": ("post", frozenset({"system_admin"})),
}


def all_url_names(resolver=None, namespace="") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= all_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_pattern_has_a_row():
    assert all_url_names() - set(MATRIX) == set(), "add the new URLs to MATRIX"
    assert set(MATRIX) - all_url_names() == set(), "remove rows of URLs that are gone"


def _rejection_letter(application_pk: int) -> int:
    """A letter on Drammen's submitted application (made here, rolled back after)."""
    from applications.models import Application
    from casework import services
    from tests.register.conftest import actor_for

    application = Application.objects.get(pk=application_pk)
    case = services.case_for(application)
    if not case.letters.exists():
        officer = actor_for("ola.saksbehandler", Organization.objects.get(code="IMDI-SOR"))
        services.case_screen(actor=officer, application=application, passed=False,
                             reason="conditions", reason_text="Test.")
    return case.letters.first().pk


def _appeal(application_pk: int) -> int:
    import datetime

    from applications.models import Application
    from casework import services
    from tests.register.conftest import actor_for

    _rejection_letter(application_pk)
    application = Application.objects.get(pk=application_pk)
    appeal = services.appeal_file(
        actor=actor_for("tor.kommunedirektor", application.organization),
        application=application, text="Vi klager på avvisningen fordi vilkårene er oppfylt.",
        received_on=datetime.date.today())
    return appeal.pk


def _change_request(application_pk: int) -> int:
    from decimal import Decimal

    from applications.models import Application
    from casework import services
    from tests.register.conftest import actor_for

    application = Application.objects.get(pk=application_pk)
    ola = actor_for("ola.saksbehandler", Organization.objects.get(code="IMDI-SOR"))
    kari = actor_for("kari.saksbehandler", Organization.objects.get(code="IMDI-OST"))
    services.case_screen(actor=ola, application=application, passed=True)
    services.decision_propose(actor=ola, application=application, kind="commitment",
                              amount=Decimal(1000), reasons="Test av tilgang.")
    services.decision_approve(actor=kari, application=application, seen=seen(application))
    change = services.change_request_file(
        actor=actor_for("tor.kommunedirektor", application.organization),
        application=application, kind="budget",
        description="Vi ønsker å flytte midler fra lokaler til tiltak.")
    return change.pk


def _job() -> int:
    from jobs.models import Job

    job = Job.objects.create(owner=User.objects.get(username="kari.saksbehandler"),
                             kind="test", label="Test", status=Job.Status.DONE, result=b"x",
                             result_name="x.csv", result_expires_at=timezone.now()
                             + datetime.timedelta(hours=1))
    return job.pk


def _report(*, certified: bool = False) -> dict:
    """Drammen's used-places report of an accepted 2026 grant (and a certified copy)."""
    from reporting import selectors, services
    from reporting.models import ReportObligation
    from tests.register.conftest import actor_for
    from tests.reporting.conftest import accepted

    application = accepted("Jobbsjansen 2026")
    obligation = ReportObligation.objects.get(case__application=application, kind="used_places")
    if not certified:
        return {"pk": obligation.pk}
    snapshot = services.usage_report_certify(
        actor=actor_for("tor.kommunedirektor", application.organization), obligation=obligation,
        seen_hash=selectors.usage_report(obligation).fingerprint())
    return {"pk": obligation.pk, "snapshot_id": snapshot.pk}


def _written_report() -> dict:
    """Drammen's grant report of the accepted 2026 grant, with an attachment and a
    certified version (made directly: the report opens after the grant year)."""
    from django.contrib.auth import get_user_model

    from core import files
    from reporting.models import ReportAttachment, ReportObligation, ReportVersion

    obligation = ReportObligation.objects.get(case_id=ReportObligation.objects.get(
        pk=_report()["pk"]).case_id, kind="grant_report")
    user = get_user_model().objects.get(username="tor.kommunedirektor")
    name, sha256 = files.store("report-attachments", "regnskap.pdf", b"%PDF-1.4 regnskap")
    attachment = ReportAttachment.objects.create(
        obligation=obligation, name="regnskap.pdf", content_type="application/pdf",
        size=17, sha256=sha256, file=name, uploaded_by=user)
    receipt, receipt_sha = files.store("receipts", "kvittering.pdf", b"%PDF-1.4 kvittering")
    now = timezone.now()
    version = ReportVersion.objects.create(
        obligation=obligation, number=1, content={}, sha256="0" * 64, saved_by=user,
        saved_at=now, frozen_at=now, certified_by=user, certified_role="chief_executive",
        certified_at=now, receipt_name=receipt, receipt_sha256=receipt_sha, review="pending")
    return {"pk": obligation.pk, "attachment_id": attachment.pk, "version_id": version.pk}


def _money(name: str) -> dict:
    """Drammen's accepted 2026 grant, its advance in an approved run with a file."""
    from finance import runs
    from finance.models import Payment
    from tests.finance.conftest import finance_officers
    from tests.reporting.conftest import accepted, officers

    application = accepted("Jobbsjansen 2026")
    Organization.objects.filter(pk=application.organization_id).update(
        account_number="15032080119", account_changed_at=None)
    per, nina = finance_officers()
    run = runs.run_approve(actor=nina, run=(draft := runs.run_create(actor=per)),
                           seen=draft.fingerprint)
    payment = Payment.objects.get(run=run)
    from finance import reactions
    from finance.models import Reaction

    ola, kari = officers()
    reason = "Tilskuddet er brukt i strid med vilkårene i tilskuddsbrevet (test)."
    decided = reactions.reaction_propose(actor=ola, case=application.case,
                                         kind=Reaction.Kind.HOLD_BACK, amount_ore=100,
                                         reason=reason)
    reactions.reaction_approve(actor=kari, reaction=decided, seen=decided.fingerprint())
    proposed = reactions.reaction_propose(actor=ola, case=application.case,
                                          kind=Reaction.Kind.CLAW_BACK, amount_ore=100,
                                          reason=reason)
    claim = reactions.reaction_approve(
        actor=kari, reaction=(owed := reactions.reaction_propose(
            actor=ola, case=application.case, kind=Reaction.Kind.CLAW_BACK, amount_ore=100,
            reason=reason)), seen=owed.fingerprint()).receivable
    return {
        "finance:receivable_paid": {"pk": claim.pk},
        "finance:reaction_letter": {"pk": decided.pk},
        "finance:reaction_approve": {"pk": proposed.pk},
        "finance:reaction_withdraw": {"pk": proposed.pk},
        "finance:reaction_lift": {"pk": decided.pk},
        "finance:reaction_propose": {"case_pk": application.case.pk},
        "finance:account_confirm": {"org_id": application.organization_id},
        "finance:run": {"pk": run.pk}, "finance:run_approve": {"pk": run.pk},
        "finance:run_sent": {"pk": run.pk}, "finance:run_file": {"pk": run.pk},
        "finance:run_vouchers": {"pk": run.pk},
        "finance:status_import": {"pk": run.pk},
        "finance:run_remove": {"pk": run.pk, "payment_id": payment.pk},
        "finance:grant": {"case_pk": application.case.pk},
        "finance:payment": {"pk": payment.pk},
    }.get(name, {})


def _kwargs(name: str) -> dict:
    drammen = Organization.objects.get(kind="municipality", code="3301")
    eva_role = RoleAssignment.objects.active().select_related("user").get(
        user__username="eva.soknad", organization=drammen)
    from register.models import Participant

    participant = Participant.objects.filter(organization=drammen,
                                             measures__isnull=False).first()
    pk = {"pk": participant.pk}
    from schemes.models import Round

    round_pk = {"pk": Round.objects.filter(status="open").order_by("id").first().pk}
    from applications.models import Application

    submitted = {"pk": Application.objects.get(organization=drammen, status="submitted").pk}
    if name in ("reporting:detail", "reporting:certify", "reporting:review"):
        return _report()
    if name in ("reporting:grant", "reporting:obligation_add"):
        from reporting.models import ReportObligation

        return {"case_pk": ReportObligation.objects.get(pk=_report()["pk"]).case_id}
    if name == "reporting:receipt":
        return _report(certified=True)
    if name in ("reporting:write", "reporting:send", "reporting:return", "reporting:approve",
                "reporting:attachment_add"):
        return {"pk": _written_report()["pk"]}
    if name in ("reporting:attachment", "reporting:attachment_remove"):
        found = _written_report()
        return {"pk": found["pk"], "attachment_id": found["attachment_id"]}
    if name == "reporting:version_receipt":
        found = _written_report()
        return {"pk": found["pk"], "version_id": found["version_id"]}
    if name.startswith("finance:"):
        return _money(name)
    if name in ("jobs:detail", "jobs:download"):  # someone else's finished job
        return {"pk": _job()}
    if name in ("casework:letter", "grant:letter"):  # only these need a letter
        return {**submitted, "letter_id": _rejection_letter(submitted["pk"])}
    if name == "casework:appeal_action":
        return {**submitted, "appeal_id": _appeal(submitted["pk"])}
    if name == "casework:change_decide":
        return {**submitted, "change_id": _change_request(submitted["pk"])}
    return {
        "applications:start": {"round_pk": round_pk["pk"]},
        "casework:case": submitted,
        "casework:assign": submitted,
        "casework:note": submitted,
        "casework:receipt": submitted,
        "casework:screen": submitted,
        "casework:assess": submitted,
        "casework:propose": submitted,
        "casework:approve": submitted,
        "casework:extend": submitted,
        "grant:appeal": submitted,
        "grant:change_request": submitted,
        "grant:accept": submitted,
        "casework:summary": {"round_pk": Application.objects.get(pk=submitted["pk"]).round_id},
        "casework:attachment": {**submitted, "attachment_id": Application.objects.get(
            pk=submitted["pk"]).attachments.get().pk},
        "applications:detail": submitted,
        "applications:send": submitted,
        "applications:return": submitted,
        "applications:sign": submitted,
        "applications:receipt": submitted,
        "applications:withdraw": submitted,
        "applications:partner_add": submitted,
        "applications:partner_answer": submitted,
        "applications:attachment_add": submitted,
        "applications:attachment": {**submitted, "attachment_id": Application.objects.get(
            pk=submitted["pk"]).attachments.get().pk},
        "applications:attachment_remove": {**submitted, "attachment_id": 1},
        "applications:partner_remove": {**submitted, "org_id": Organization.objects.get(
            kind="municipality", code="4202").pk},
        "schemes:round_detail": round_pk,
        "grant:recipients": round_pk,
        "schemes:round_edit": round_pk,
        "schemes:round_publish": round_pk,
        "schemes:round_close": round_pk,
        "schemes:focus_area_add": round_pk,
        "schemes:reporting_duty_add": round_pk,
        "register:participant_detail": pk,
        "register:participant_page": {**pk, "page": "bakgrunn"},
        "register:participant_justify": pk,
        "register:participant_discharge": pk,
        "register:participant_delete": pk,
        "register:measure_remove": {**pk, "measure_id": participant.measures.first().pk},
        "register:measure_edit": {**pk, "measure_id": participant.measures.first().pk},
        "register:info_letter": {"language": "nb"},
        "organizations:detail": {"org_id": drammen.pk},
        "organizations:edit": {"org_id": drammen.pk},
        "accounts:user_detail": {"user_id": eva_role.user_id},
        "accounts:role_grant": {"user_id": eva_role.user_id},
        "accounts:role_revoke": {"user_id": eva_role.user_id, "assignment_id": eva_role.pk},
        "accounts:user_remove": {"user_id": eva_role.user_id},
        "accounts:two_factor_reset": {"user_id": eva_role.user_id},
        "accounts:password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
        "accounts:invitation_accept": {"token": "unknown-token"},
    }.get(name, {})


# A denied request: 403 (no permission) or 404 (an object outside one's scope).
DENIED = {403, 404}
# Allowed: the page itself, a redirect onward (form posts, confirmations), or a refusal
# that is about the object's state rather than access (e.g. resetting a user without 2FA).
ALLOWED = {200, 302, 405}


def _request(client, name):
    method, _rule = MATRIX[name]
    url = reverse(name, kwargs=_kwargs(name))
    return getattr(client, method)(url, {})


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_anonymous(client, name):
    _method, rule = MATRIX[name]
    response = _request(client, name)
    if rule == PUBLIC:
        assert response.status_code in ALLOWED | {404}, response.status_code
    else:
        assert response.status_code == 302 and "/konto/logg-inn/" in response.url


@pytest.mark.parametrize("role", sorted(ROLE_USERS))
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_role(client, name, role):
    _method, rule = MATRIX[name]
    login_as(client, ROLE_USERS[role])
    response = _request(client, name)
    if rule == PUBLIC:
        assert response.status_code in ALLOWED | {404}, response.status_code
    elif role in rule:
        assert response.status_code in ALLOWED, (response.status_code, name, role)
    else:
        assert response.status_code in DENIED, (response.status_code, name, role)
