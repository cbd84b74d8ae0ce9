"""The start page's to-do list: what waits for this person, in their active organisation.

Each item is a sentence and a link; at most a few queries, each bounded, whatever the
number of applications."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.roles import SIGNER_ROLES, Role
from applications.models import Application, PartnerConsent, Status
from casework.models import CaseStatus, Decision
from core.formatting import date
from reporting.permissions import organizations_of
from reporting.selectors import awaiting_certification_of_organization, overdue_of_organization

LIMIT = 10


@dataclass(frozen=True)
class Todo:
    text: str
    url: str


def todo_for(actor) -> list[Todo]:
    org = actor.organization
    if org is None:
        return []
    items: list[Todo] = []
    if actor.has(*SIGNER_ROLES):
        items += _to_sign(org) + _to_accept(org) + _to_certify(actor, org)
    if actor.has(Role.MUNICIPALITY_ADMIN, *SIGNER_ROLES):
        items += _partner_answers(org)
    if actor.has(Role.CASE_OFFICER):
        items += _to_approve(actor)
    if org.pk in organizations_of(actor):
        items += _overdue_reports(actor, org)
    return items


def _overdue_reports(actor, org) -> list[Todo]:
    """Reports past their deadline and not submitted (late reports are still received)."""
    return [Todo(_("%(report)s for “%(title)s” was due %(date)s and is not submitted.")
                 % {"report": o.get_kind_display(), "title": o.case.application.title,
                    "date": date(o.deadline_local.date())},
                 reverse("reporting:list"))
            for o in overdue_of_organization(actor, org).order_by("deadline", "pk")[:LIMIT]]


def _to_certify(actor, org) -> list[Todo]:
    """Written reports frozen and waiting for the chief executive or a delegate."""
    return [Todo(_("%(report)s for “%(title)s” awaits your certification.")
                 % {"report": o.get_kind_display(), "title": o.case.application.title},
                 reverse("reporting:detail", kwargs={"pk": o.pk}))
            for o in awaiting_certification_of_organization(actor, org).order_by(
                "deadline", "pk")[:LIMIT]]


def _to_sign(org) -> list[Todo]:
    return [Todo(_("“%(title)s” awaits your signature (%(round)s).")
                 % {"title": a.title, "round": a.round.title},
                 reverse("applications:detail", kwargs={"pk": a.pk}))
            for a in Application.objects.filter(organization=org, status=Status.FOR_SIGNING)
            .select_related("round").order_by("round__deadline")[:LIMIT]]


def _to_accept(org) -> list[Todo]:
    return [Todo(_("The grant for “%(title)s” is to be accepted by %(date)s.")
                 % {"title": d.case.application.title, "date": date(d.accept_by)},
                 reverse("applications:detail", kwargs={"pk": d.case.application_id}))
            for d in Decision.objects.filter(
                case__application__organization=org, case__status=CaseStatus.GRANTED,
                kind=Decision.Kind.COMMITMENT).select_related("case__application__round")
            .order_by("accept_by")[:LIMIT]]


def _partner_answers(org) -> list[Todo]:
    return [Todo(_("%(lead)s asks you to accept being named as a partner in “%(title)s”.")
                 % {"lead": c.application.organization.official_name,
                    "title": c.application.title},
                 reverse("applications:detail", kwargs={"pk": c.application_id}))
            for c in PartnerConsent.objects.filter(
                organization=org, answer=PartnerConsent.Answer.PENDING,
                application__status__in=[Status.DRAFT, Status.FOR_SIGNING])
            .select_related("application__organization").order_by("asked_at")[:LIMIT]]


def _to_approve(actor) -> list[Todo]:
    waiting = Decision.objects.filter(approved_at__isnull=True).exclude(
        proposed_by=actor.user).values("case__application__round_id").order_by()
    items = []
    for row in waiting.annotate(n=Count("pk"))[:LIMIT]:
        round_id, n = row["case__application__round_id"], row["n"]
        items.append(Todo(
            ngettext("%(n)s proposed decision waits for another case officer's approval.",
                     "%(n)s proposed decisions wait for another case officer's approval.",
                     n) % {"n": n},
            f"{reverse('casework:inbox')}?utlysning={round_id}&godkjenning=meg"))
    return items
