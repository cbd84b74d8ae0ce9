"""The typed events of the audit log.

Every event type declares the payload keys it may carry. A payload holds ids, codes and
small enumerations only — never names, e-mail addresses or national id numbers — and
``record`` refuses any key the type has not declared, so a careless caller cannot leak
personal data into the log.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    LOGIN_SUCCEEDED = "auth.login_succeeded", _("Logged in")
    LOGIN_FAILED = "auth.login_failed", _("Log-in failed")
    LOGIN_THROTTLED = "auth.login_throttled", _("Log-in blocked after repeated failures")
    LOGOUT = "auth.logout", _("Logged out")
    REAUTHENTICATED = "auth.reauthenticated", _("Confirmed identity again")
    TWO_FACTOR_ENROLLED = "auth.two_factor_enrolled", _("Two-factor authentication set up")
    TWO_FACTOR_RESET = "auth.two_factor_reset", _("Two-factor authentication reset")
    BACKUP_CODES_GENERATED = "auth.backup_codes_generated", _("Backup codes generated")
    BACKUP_CODE_USED = "auth.backup_code_used", _("Backup code used")
    PASSWORD_CHANGED = "auth.password_changed", _("Password changed")
    ORGANIZATION_SWITCHED = "auth.organization_switched", _("Switched organisation")
    TWO_FACTOR_REPLACED = "auth.two_factor_replaced", _("Two-factor authentication replaced")
    PASSWORD_RESET_REQUESTED = "auth.password_reset_requested", _("Password reset link sent")
    PASSWORD_RESET_THROTTLED = "auth.password_reset_throttled", _(
        "Password reset requests paused after many requests")
    PASSWORD_RESET_COMPLETED = "auth.password_reset", _("Password chosen from a reset link")
    INVITATION_DECLINED = "users.invitation_declined", _("Invitation declined")
    ORGANIZATION_ACCOUNT_CHANGED = "organizations.account_changed", _("Payout account changed")
    OUTBOX_PURGED = "mail.outbox_purged", _("Old e-mail deleted from the outbox")
    USER_INVITED = "users.invited", _("User invited")
    INVITATION_ACCEPTED = "users.invitation_accepted", _("Invitation accepted")
    USER_DEACTIVATED = "users.deactivated", _("User deactivated")
    USER_REACTIVATED = "users.reactivated", _("User reactivated")
    ROLE_GRANTED = "roles.granted", _("Role granted")
    ROLE_REVOKED = "roles.revoked", _("Role revoked")
    ORGANIZATION_UPDATED = "organizations.updated", _("Organisation details changed")
    ORGANIZATIONS_LOADED = "organizations.loaded", _("Code lists loaded")
    PARTICIPANT_CREATED = "register.participant_created", _("Participant registered")
    PARTICIPANT_VIEWED = "register.participant_viewed", _("Participant viewed")
    PARTICIPANT_UPDATED = "register.participant_updated", _("Participant changed")
    PARTICIPANT_MEASURE_ADDED = "register.measure_added", _("Measure added")
    PARTICIPANT_MEASURE_REMOVED = "register.measure_removed", _("Measure removed")
    PARTICIPANT_FOLLOW_UP_RECORDED = "register.follow_up_recorded", _("After-care recorded")
    PARTICIPANT_FINDING_ASSESSED = "register.finding_assessed", _("Finding assessed")
    PARTICIPANT_DISCHARGED = "register.participant_discharged", _("Participant discharged")
    PARTICIPANT_DELETED = "register.participant_deleted", _("Participant deleted")
    PARTICIPANT_MOVED = "register.participant_moved", _("Participant moved to another municipality")
    REGISTER_OVERVIEW_VIEWED = "register.overview_viewed", _("Participant overview viewed")
    REGISTER_EXPORTED = "register.exported", _("Participants downloaded")
    REGISTER_SUBMITTED = "register.submitted", _("Year submitted to the directorate")
    REGISTER_PSEUDONYMISED_VIEWED = "register.pseudonymised_viewed", _(
        "Pseudonymised register data viewed")
    AGREEMENT_RECORDED = "register.agreement_recorded", _("Data processing agreement recorded")
    ROUND_SAVED = "schemes.round_saved", _("Round saved")
    ROUND_PUBLISHED = "schemes.round_published", _("Round published")
    ROUND_CLOSED = "schemes.round_closed", _("Round closed")
    APPLICATION_STARTED = "applications.started", _("Application started")
    APPLICATION_SAVED = "applications.saved", _("Application saved")
    APPLICATION_SENT_FOR_SIGNING = "applications.sent_for_signing", _(
        "Application sent for signing")
    APPLICATION_RETURNED = "applications.returned", _("Application returned for changes")
    APPLICATION_SIGNED = "applications.signed", _("Application signed and submitted")
    APPLICATION_WITHDRAWN = "applications.withdrawn", _("Application withdrawn")
    APPLICATION_PARTNER_ADDED = "applications.partner_added", _("Partner added to application")
    APPLICATION_PARTNER_REMOVED = "applications.partner_removed", _(
        "Partner removed from application")
    APPLICATION_PARTNER_ANSWERED = "applications.partner_answered", _(
        "Partner answered whether it accepts being named")
    APPLICATION_ATTACHMENT_ADDED = "applications.attachment_added", _("Attachment added")
    APPLICATION_ATTACHMENT_REMOVED = "applications.attachment_removed", _("Attachment removed")
    APPLICATION_LATE_REGISTERED = "applications.late_registered", _(
        "Late application registered by the directorate")
    CASE_ASSIGNED = "casework.assigned", _("Case assigned")
    CASE_NOTE_ADDED = "casework.note_added", _("Note added to the case")
    CASE_SCREENED = "casework.screened", _("Formal screening recorded")
    LETTER_SENT = "casework.letter_sent", _("Letter sent to the applicant")
    CASE_ASSESSED = "casework.assessed", _("Assessment recorded")
    DECISION_PROPOSED = "casework.decision_proposed", _("Decision proposed")
    DECISION_APPROVED = "casework.decision_approved", _("Decision approved")
    GRANT_ACCEPTED = "casework.grant_accepted", _("Grant accepted by the applicant")
    GRANT_LAPSED = "casework.grant_lapsed", _("Grant lapsed: not accepted in time")
    ACCEPTANCE_EXTENDED = "casework.acceptance_extended", _("Acceptance deadline extended")
    APPEAL_FILED = "casework.appeal_filed", _("Appeal filed")
    APPEAL_FORWARDED = "casework.appeal_forwarded", _("Appeal prepared and forwarded")
    APPEAL_DECIDED = "casework.appeal_decided", _("Appeal decided")
    CHANGE_REQUESTED = "casework.change_requested", _("Change requested by the applicant")
    CHANGE_DECIDED = "casework.change_decided", _("Change request answered")
    JOB_RESULT_DOWNLOADED = "jobs.result_downloaded", _("Background job's file downloaded")
    REPORT_OBLIGATIONS_CREATED = "reporting.obligations_created", _(
        "Reports the grant owes set up")
    REPORT_OBLIGATION_ADDED = "reporting.obligation_added", _(
        "Report added by the directorate (stricter reporting)")
    REPORT_STATUS_CHANGED = "reporting.status_changed", _("Report status changed")
    REPORT_REMINDER_SENT = "reporting.reminder_sent", _("Report reminder e-mailed")
    REPORT_CERTIFIED = "reporting.certified", _("Report certified and submitted")
    REPORT_ACCEPTED = "reporting.accepted", _("Report accepted by the directorate")
    REPORT_CHANGES_REQUESTED = "reporting.changes_requested", _(
        "Changes to a report requested by the directorate")
    REPORT_SAVED = "reporting.saved", _("Report saved")
    REPORT_SENT_FOR_CERTIFICATION = "reporting.sent_for_certification", _(
        "Report sent for certification")
    REPORT_RETURNED = "reporting.returned", _("Report returned to its writers")
    REPORT_ACCOUNTS_APPROVED = "reporting.accounts_approved", _("Report's accounts approved")
    REPORT_ATTACHMENT_ADDED = "reporting.attachment_added", _("Attachment added to a report")
    REPORT_ATTACHMENT_REMOVED = "reporting.attachment_removed", _(
        "Attachment removed from a report")
    FINANCE_PLAN_CREATED = "finance.plan_created", _("Payment plan made")
    FINANCE_APPROPRIATION_RECORDED = "finance.appropriation_recorded", _(
        "Year's appropriation recorded")
    PAYOUT_ACCOUNT_CONFIRMED = "finance.account_confirmed", _("Changed payout account confirmed")
    PAYMENT_RUN_CREATED = "finance.run_created", _("Payment run made")
    PAYMENT_RUN_CHANGED = "finance.run_changed", _("Payment run changed")
    PAYMENT_RUN_APPROVED = "finance.run_approved", _("Payment run approved")
    PAYMENT_RUN_SENT = "finance.run_sent", _("Payment run sent to the bank")
    PAYMENT_FILE_DOWNLOADED = "finance.file_downloaded", _("Payment file downloaded")
    PAYMENT_STATUS_IMPORTED = "finance.status_imported", _("Bank status file read")
    REACTION_PROPOSED = "finance.reaction_proposed", _("Hold-back or claw-back proposed")
    REACTION_APPROVED = "finance.reaction_approved", _("Hold-back or claw-back decided")
    REACTION_WITHDRAWN = "finance.reaction_withdrawn", _("Hold-back or claw-back withdrawn")
    REACTION_LIFTED = "finance.reaction_lifted", _("Hold-back lifted")
    RECEIVABLE_PAID = "finance.receivable_paid", _("Claim paid back")
    REACTION_REVERSED = "finance.reaction_reversed", _(
        "Hold-back or claw-back reversed on appeal")


@dataclass(frozen=True)
class EventSpec:
    payload_keys: frozenset[str]


_ROLE_KEYS = frozenset({"role", "organization_id", "assignment_id"})

SPECS: dict[str, EventSpec] = {
    EventType.LOGIN_SUCCEEDED: EventSpec(frozenset({"method", "two_factor"})),
    EventType.LOGIN_FAILED: EventSpec(frozenset({"step"})),
    EventType.LOGIN_THROTTLED: EventSpec(frozenset({"scope"})),
    EventType.LOGOUT: EventSpec(frozenset()),
    EventType.REAUTHENTICATED: EventSpec(frozenset({"purpose"})),
    EventType.TWO_FACTOR_ENROLLED: EventSpec(frozenset({"device_id"})),
    EventType.TWO_FACTOR_RESET: EventSpec(frozenset({"user_id"})),
    EventType.BACKUP_CODES_GENERATED: EventSpec(frozenset({"count"})),
    EventType.BACKUP_CODE_USED: EventSpec(frozenset({"remaining"})),
    EventType.PASSWORD_CHANGED: EventSpec(frozenset()),
    EventType.ORGANIZATION_SWITCHED: EventSpec(frozenset({"organization_id"})),
    EventType.TWO_FACTOR_REPLACED: EventSpec(frozenset({"device_id"})),
    EventType.PASSWORD_RESET_REQUESTED: EventSpec(frozenset()),
    EventType.PASSWORD_RESET_THROTTLED: EventSpec(frozenset({"scope"})),
    EventType.PASSWORD_RESET_COMPLETED: EventSpec(frozenset()),
    EventType.INVITATION_DECLINED: EventSpec(frozenset({"invitation_id", "user_id"})),
    # Old and new account number: an organisation's bank account, not personal data.
    EventType.ORGANIZATION_ACCOUNT_CHANGED: EventSpec(frozenset({"old", "new"})),
    EventType.OUTBOX_PURGED: EventSpec(frozenset({"count", "retention_days"})),
    EventType.USER_INVITED: EventSpec(frozenset({"invitation_id", "role", "organization_id"})),
    EventType.INVITATION_ACCEPTED: EventSpec(frozenset({"invitation_id", "user_id"})),
    EventType.USER_DEACTIVATED: EventSpec(frozenset({"user_id", "scope", "organization_id"})),
    EventType.USER_REACTIVATED: EventSpec(frozenset({"user_id"})),
    EventType.ROLE_GRANTED: EventSpec(_ROLE_KEYS | {"user_id"}),
    EventType.ROLE_REVOKED: EventSpec(_ROLE_KEYS | {"user_id"}),
    EventType.ORGANIZATION_UPDATED: EventSpec(frozenset({"fields"})),
    EventType.ORGANIZATIONS_LOADED: EventSpec(
        frozenset({"source", "created", "updated", "codes", "changes"})
    ),
    EventType.PARTICIPANT_CREATED: EventSpec(frozenset({"participant_id", "name_found"})),
    EventType.PARTICIPANT_VIEWED: EventSpec(frozenset({"participant_id", "page"})),
    EventType.PARTICIPANT_UPDATED: EventSpec(frozenset({"participant_id", "page", "fields"})),
    EventType.PARTICIPANT_MEASURE_ADDED: EventSpec(
        frozenset({"participant_id", "measure_id", "measure"})),
    EventType.PARTICIPANT_MEASURE_REMOVED: EventSpec(frozenset({"participant_id", "measure_id"})),
    EventType.PARTICIPANT_FOLLOW_UP_RECORDED: EventSpec(frozenset({"participant_id", "point"})),
    EventType.PARTICIPANT_FINDING_ASSESSED: EventSpec(frozenset({"participant_id", "code"})),
    EventType.PARTICIPANT_DISCHARGED: EventSpec(frozenset({"participant_id", "automatic"})),
    EventType.PARTICIPANT_DELETED: EventSpec(frozenset({"participant_id"})),
    EventType.PARTICIPANT_MOVED: EventSpec(
        frozenset({"participant_id", "from_organization_id", "to_organization_id"})),
    EventType.REGISTER_OVERVIEW_VIEWED: EventSpec(
        frozenset({"rows", "participant_ids", "page", "filters"})),
    EventType.REGISTER_EXPORTED: EventSpec(frozenset({"format", "rows", "filters"})),
    EventType.REGISTER_SUBMITTED: EventSpec(
        frozenset({"year", "participants", "submission_id"})),
    EventType.REGISTER_PSEUDONYMISED_VIEWED: EventSpec(frozenset({"rows", "year"})),
    EventType.AGREEMENT_RECORDED: EventSpec(frozenset({"organization_id", "agreement_id"})),
    EventType.ROUND_SAVED: EventSpec(frozenset({"round_id", "fields", "created"})),
    EventType.ROUND_PUBLISHED: EventSpec(frozenset({"round_id"})),
    EventType.ROUND_CLOSED: EventSpec(frozenset({"round_id"})),
    EventType.APPLICATION_STARTED: EventSpec(frozenset({"application_id", "round_id"})),
    EventType.APPLICATION_SAVED: EventSpec(frozenset({"application_id", "version", "fields"})),
    EventType.APPLICATION_SENT_FOR_SIGNING: EventSpec(frozenset({"application_id",
                                                                 "version"})),
    EventType.APPLICATION_RETURNED: EventSpec(frozenset({"application_id", "version"})),
    EventType.APPLICATION_SIGNED: EventSpec(frozenset({"application_id", "version", "role",
                                                       "content_hash"})),
    EventType.APPLICATION_WITHDRAWN: EventSpec(frozenset({"application_id"})),
    EventType.APPLICATION_PARTNER_ADDED: EventSpec(frozenset({"application_id",
                                                              "organization_id"})),
    EventType.APPLICATION_PARTNER_REMOVED: EventSpec(frozenset({"application_id",
                                                                "organization_id"})),
    EventType.APPLICATION_PARTNER_ANSWERED: EventSpec(frozenset({"application_id",
                                                                 "organization_id",
                                                                 "answer"})),
    EventType.APPLICATION_ATTACHMENT_ADDED: EventSpec(frozenset({"application_id",
                                                                 "attachment_id", "size",
                                                                 "content_type"})),
    EventType.APPLICATION_ATTACHMENT_REMOVED: EventSpec(frozenset({"application_id",
                                                                   "attachment_id"})),
    EventType.APPLICATION_LATE_REGISTERED: EventSpec(frozenset({"application_id",
                                                                "round_id"})),
    EventType.CASE_ASSIGNED: EventSpec(frozenset({"application_id", "case_id", "user_id"})),
    EventType.CASE_NOTE_ADDED: EventSpec(frozenset({"application_id", "case_id", "note_id"})),
    EventType.CASE_SCREENED: EventSpec(frozenset({"application_id", "case_id", "outcome",
                                                  "reason"})),
    EventType.LETTER_SENT: EventSpec(frozenset({"application_id", "case_id", "letter_id",
                                                "kind", "sha256"})),
    EventType.CASE_ASSESSED: EventSpec(frozenset({"application_id", "case_id", "criteria"})),
    EventType.DECISION_PROPOSED: EventSpec(frozenset({"application_id", "case_id", "kind",
                                                      "amount", "decision_id", "version"})),
    EventType.DECISION_APPROVED: EventSpec(frozenset({"application_id", "case_id", "kind",
                                                      "amount", "decision_id", "version"})),
    EventType.GRANT_ACCEPTED: EventSpec(frozenset({"application_id", "case_id", "role"})),
    EventType.GRANT_LAPSED: EventSpec(frozenset({"application_id", "case_id", "accept_by"})),
    EventType.ACCEPTANCE_EXTENDED: EventSpec(frozenset({"application_id", "case_id",
                                                        "accept_by"})),
    EventType.APPEAL_FILED: EventSpec(frozenset({"application_id", "appeal_id", "in_time"})),
    EventType.APPEAL_FORWARDED: EventSpec(frozenset({"application_id", "appeal_id"})),
    EventType.APPEAL_DECIDED: EventSpec(frozenset({"application_id", "appeal_id",
                                                   "outcome"})),
    EventType.CHANGE_REQUESTED: EventSpec(frozenset({"application_id", "change_id", "kind"})),
    EventType.CHANGE_DECIDED: EventSpec(frozenset({"application_id", "change_id", "status",
                                                   "terms_version"})),
    EventType.JOB_RESULT_DOWNLOADED: EventSpec(frozenset({"job_id", "kind", "bytes"})),
    EventType.REPORT_OBLIGATIONS_CREATED: EventSpec(frozenset({"application_id", "case_id",
                                                               "count"})),
    EventType.REPORT_OBLIGATION_ADDED: EventSpec(frozenset({"application_id", "case_id",
                                                            "obligation_id", "kind"})),
    EventType.REPORT_STATUS_CHANGED: EventSpec(frozenset({"application_id", "obligation_id",
                                                          "kind", "old", "new", "in_time"})),
    EventType.REPORT_REMINDER_SENT: EventSpec(frozenset({"application_id", "obligation_id",
                                                         "kind", "count"})),
    # The certified snapshot by its id and hash; counts and the total, never a participant.
    EventType.REPORT_CERTIFIED: EventSpec(frozenset({"application_id", "obligation_id",
                                                     "kind", "snapshot_id", "sha256",
                                                     "participants", "amount", "in_time",
                                                     "role", "version_id"})),
    EventType.REPORT_ACCEPTED: EventSpec(frozenset({"application_id", "obligation_id",
                                                    "kind", "snapshot_id", "version_id"})),
    EventType.REPORT_CHANGES_REQUESTED: EventSpec(frozenset({"application_id",
                                                             "obligation_id", "kind",
                                                             "snapshot_id", "version_id"})),
    # The written reports: versions by number and hash, never their text.
    EventType.REPORT_SAVED: EventSpec(frozenset({"application_id", "obligation_id", "kind",
                                                 "version"})),
    EventType.REPORT_SENT_FOR_CERTIFICATION: EventSpec(frozenset({
        "application_id", "obligation_id", "kind", "version", "sha256"})),
    EventType.REPORT_RETURNED: EventSpec(frozenset({"application_id", "obligation_id", "kind",
                                                    "version"})),
    EventType.REPORT_ACCOUNTS_APPROVED: EventSpec(frozenset({
        "application_id", "obligation_id", "version", "sha256", "capacity"})),
    EventType.REPORT_ATTACHMENT_ADDED: EventSpec(frozenset({
        "application_id", "obligation_id", "attachment_id", "sha256", "bytes"})),
    EventType.REPORT_ATTACHMENT_REMOVED: EventSpec(frozenset({
        "application_id", "obligation_id", "attachment_id"})),
    # Money: ids, counts and øre; never an account number.
    EventType.FINANCE_PLAN_CREATED: EventSpec(frozenset({"application_id", "case_id",
                                                         "count"})),
    EventType.FINANCE_APPROPRIATION_RECORDED: EventSpec(frozenset({"year"})),
    EventType.PAYOUT_ACCOUNT_CONFIRMED: EventSpec(frozenset({"organization_id"})),
    EventType.PAYMENT_RUN_CREATED: EventSpec(frozenset({"run_id", "count", "total_ore"})),
    EventType.PAYMENT_RUN_CHANGED: EventSpec(frozenset({"run_id", "count", "total_ore"})),
    EventType.PAYMENT_RUN_APPROVED: EventSpec(frozenset({"run_id", "count", "total_ore",
                                                         "fingerprint"})),
    EventType.PAYMENT_RUN_SENT: EventSpec(frozenset({"run_id", "count", "total_ore"})),
    EventType.PAYMENT_FILE_DOWNLOADED: EventSpec(frozenset({"run_id", "sha256", "bytes"})),
    EventType.PAYMENT_STATUS_IMPORTED: EventSpec(frozenset({"run_id", "paid", "failed",
                                                            "kind"})),
    EventType.REACTION_PROPOSED: EventSpec(frozenset({"application_id", "reaction_id",
                                                      "kind", "amount_ore"})),
    EventType.REACTION_APPROVED: EventSpec(frozenset({"application_id", "reaction_id", "kind",
                                                      "amount_ore", "letter_id"})),
    EventType.REACTION_WITHDRAWN: EventSpec(frozenset({"application_id", "reaction_id",
                                                       "kind", "amount_ore"})),
    EventType.REACTION_LIFTED: EventSpec(frozenset({"application_id", "reaction_id", "kind",
                                                    "amount_ore"})),
    EventType.REACTION_REVERSED: EventSpec(frozenset({"application_id", "reaction_id",
                                                      "kind", "amount_ore"})),
    EventType.RECEIVABLE_PAID: EventSpec(frozenset({"application_id", "receivable_id",
                                                    "amount_ore"})),
}

# Payload values are kept small and non-personal: scalars or lists of scalars.
MAX_PAYLOAD_STRING = 64
