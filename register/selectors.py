"""Reads for the register's pages. Every participant query is scoped to the actor's
organisation here, never in a template: another municipality's participant is a 404."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.actor import Actor
from organizations.models import Organization
from rules.register import Deadline, submission_deadline

from . import codes
from .models import (
    CheckState,
    DataProcessingAgreement,
    Participant,
    ParticipantMeasure,
    Submission,
)


def agreement_current(organization: Organization | None) -> DataProcessingAgreement | None:
    if organization is None:
        return None
    # Asked several times per request (permissions, navigation): remember it on the
    # request's organisation object.
    cached = getattr(organization, "_current_agreement", False)
    if cached is not False:
        return cached
    today = timezone.localdate()
    agreement = (DataProcessingAgreement.objects
                 .filter(organization=organization, signed_on__lte=today)
                 .filter(Q(terminated_on__isnull=True) | Q(terminated_on__gt=today))
                 .first())
    organization._current_agreement = agreement
    return agreement


def participants_of(actor: Actor) -> QuerySet[Participant]:
    """The participants the actor may see: the active organisation's, nothing else."""
    if actor.organization is None:
        return Participant.objects.none()
    return Participant.objects.filter(organization=actor.organization)


def participant_get(actor: Actor, pk: int) -> Participant:
    try:
        return participants_of(actor).select_related("organization").get(pk=pk)
    except Participant.DoesNotExist:
        raise Http404 from None


SEARCH_LIMIT = 200
_ID_NUMBER = re.compile(r"[0-9]{11}")


class SearchError(ValueError):
    pass


@dataclass(frozen=True)
class Search:
    """A search's result: how it searched and the participants it found. Never the term:
    the result is kept in the session, which must hold no id number and no name."""

    by: str  # "national_id" or "name"
    ids: tuple[int, ...]


def participant_search(actor: Actor, term: str) -> Search:
    """Search the active organisation's participants by id number (exact, spaces ignored)
    or by name (every word, in any case). Discharged participants are found by neither:
    their name is deleted and their id number is no longer shown to people."""
    term = " ".join(term.split())
    if not term:
        raise SearchError(_("Type an id number or a name."))
    scope = participants_of(actor).exclude(status=codes.Status.DISCHARGED)
    if any(char.isdigit() for char in term):
        number = term.replace(" ", "")
        if not _ID_NUMBER.fullmatch(number):
            raise SearchError(_("An id number has 11 digits (0–9). Spaces are ignored."))
        ids = tuple(scope.filter(national_id=number).order_by("-start_date", "-id")
                    .values_list("pk", flat=True))
        return Search("national_id", ids)
    words = term.casefold().split()
    # In Python rather than SQL: SQLite compares only ASCII letters without case, and a
    # municipality's register is small (the largest has some thousand names).
    ids = tuple(pk for pk, name in scope.exclude(name="").order_by("-start_date", "-id")
                .values_list("pk", "name").iterator()
                if all(word in name.casefold() for word in words))
    if len(ids) > SEARCH_LIMIT:
        raise SearchError(_("More than %(limit)s participants match. Type more of the name.")
                          % {"limit": SEARCH_LIMIT})
    return Search("name", ids)


def incomplete_in_year(actor: Actor, year: int) -> QuerySet[Participant]:
    """The year's participants that keep it from being submitted."""
    return (in_year(participants_of(actor), year).exclude(check_state=CheckState.COMPLETE)
            .order_by("id"))


def in_year(queryset: QuerySet[Participant], year: int) -> QuerySet[Participant]:
    """Participants in the programme at some time during the year."""
    return queryset.filter(start_date__lte=datetime.date(year, 12, 31)).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=datetime.date(year, 1, 1)))


@dataclass(frozen=True)
class Filters:
    status: str = ""
    year: int | None = None
    financing: str = ""
    start_from: datetime.date | None = None
    start_to: datetime.date | None = None
    end_from: datetime.date | None = None
    end_to: datetime.date | None = None
    measure: str = ""
    check: str = ""
    sort: str = "-start_date"

    def used(self) -> list[str]:
        return [name for name in ("status", "year", "financing", "start_from", "start_to",
                                  "end_from", "end_to", "measure", "check")
                if getattr(self, name) not in ("", None)]

    def described(self) -> list[str]:
        """The filters as name=value (codes and dates only), for the access log."""
        return [f"{name}={getattr(self, name)}" for name in self.used()]


SORTS = {
    "start_date": ("start_date", "id"), "-start_date": ("-start_date", "-id"),
    "end_date": ("end_date", "id"), "-end_date": ("-end_date", "-id"),
    "id": ("id",), "-id": ("-id",),
    "status": ("status", "-start_date", "-id"), "-status": ("-status", "-start_date", "-id"),
}


def participant_list(actor: Actor, filters: Filters, search: Search | None = None
                     ) -> QuerySet[Participant]:
    qs = participants_of(actor)
    if search is not None:
        qs = qs.filter(pk__in=search.ids)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.year:
        qs = in_year(qs, filters.year)
    if filters.financing:
        qs = qs.filter(financing=filters.financing)
    if filters.start_from:
        qs = qs.filter(start_date__gte=filters.start_from)
    if filters.start_to:
        qs = qs.filter(start_date__lte=filters.start_to)
    if filters.end_from:
        qs = qs.filter(end_date__gte=filters.end_from)
    if filters.end_to:
        qs = qs.filter(end_date__lte=filters.end_to)
    if filters.measure:
        qs = qs.filter(Exists(ParticipantMeasure.objects.filter(
            participant=OuterRef("pk"), measure=filters.measure)))
    if filters.check == "open":
        qs = qs.exclude(check_state=CheckState.COMPLETE)
    elif filters.check:
        qs = qs.filter(check_state=filters.check)
    return qs.order_by(*SORTS.get(filters.sort, SORTS["-start_date"]))


def status_counts(queryset: QuerySet[Participant]) -> dict[str, int]:
    counts = {row["status"]: row["n"] for row in
              queryset.order_by().values("status").annotate(n=Count("id"))}
    return {"total": sum(counts.values()), **{s: counts.get(s, 0) for s in codes.Status.values}}


@dataclass(frozen=True)
class YearStatus:
    year: int
    deadline: Deadline
    participants: int
    incomplete: int
    blocked: int
    submission: Submission | None
    changed_since: int

    @property
    def overdue(self) -> bool:
        return self.submission is None and timezone.localdate() > self.deadline.day


def year_status(organization: Organization, year: int) -> YearStatus:
    qs = in_year(Participant.objects.filter(organization=organization), year)
    counts = qs.aggregate(
        n=Count("id"),
        incomplete=Count("id", filter=~Q(check_state=CheckState.COMPLETE)),
        blocked=Count("id", filter=Q(check_state=CheckState.BLOCKED)))
    submission = Submission.objects.filter(organization=organization, year=year).first()
    changed = qs.filter(updated_at__gt=submission.submitted_at).count() if submission else 0
    return YearStatus(year, submission_deadline(year), counts["n"], counts["incomplete"],
                      counts["blocked"], submission, changed)


def submissions_overview(year: int) -> list[dict]:
    """For the directorate: each municipality's submission of a year and what changed after."""
    latest = {}
    for submission in (Submission.objects.filter(year=year).select_related("organization")
                       .order_by("organization_id", "-submitted_at")):
        latest.setdefault(submission.organization_id, submission)
    rows = []
    for org_id, submission in latest.items():
        changed = in_year(Participant.objects.filter(organization_id=org_id), year).filter(
            updated_at__gt=submission.submitted_at).count()
        rows.append({"submission": submission, "changed_since": changed})
    rows.sort(key=lambda row: row["submission"].organization.code)
    return rows


def pseudonym(national_id: str) -> str:
    """A stable pseudonym for analysts: the same person gets the same one everywhere, and
    it cannot be turned back into the number without the secret key."""
    key = f"{settings.TILSKUDD_HASH_KEY}:register-pseudonym".encode()
    return hmac.new(key, national_id.encode(), hashlib.sha256).hexdigest()[:16]
