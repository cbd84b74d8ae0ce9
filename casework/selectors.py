"""Reads for the inbox and the case page."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Case as SqlCase
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Sum, When
from django.db.models.fields.json import KeyTextTransform
from django.utils.functional import cached_property

from accounts.models import RoleAssignment, User
from accounts.roles import Role
from applications.checks import application_checklist
from applications.models import Application, Status
from applications.selectors import amount_applied, computed_amount_applied  # noqa: F401
from audit.display import event_details
from audit.models import AuditEvent
from organizations.models import Organization, OrganizationKind
from schemes.models import Round
from schemes.selectors import round_may_apply

from .models import Appeal, Assessment, CaseStatus, ChangeRequest, Criterion, Decision


def rounds_with_applications() -> QuerySet[Round]:
    """The rounds with submitted applications, latest deadline first (one EXISTS per round,
    not a join over every application)."""
    return (Round.objects.filter(Exists(Application.objects.filter(
        round=OuterRef("pk"), status=Status.SUBMITTED)))
            .select_related("scheme").order_by("-deadline"))


# -- the inbox ---------------------------------------------------------------------------

PAGE_SIZE = 50

SORTS = {
    "submitted": (F("submitted_at").asc(nulls_last=True), "id"),
    "-submitted": (F("submitted_at").desc(nulls_last=True), "-id"),
    "applicant": ("organization__name", "id"),
    "-amount": (F("amount_applied").desc(nulls_last=True), "id"),
}
ASSIGNED = ("me", "none")


def regional_offices() -> QuerySet[Organization]:
    return Organization.objects.filter(kind=OrganizationKind.REGIONAL_OFFICE).order_by("name")


@dataclass(frozen=True)
class InboxFilters:
    """The inbox's filters, each bounded to the values it can take."""

    region_id: int | None = None
    assigned: str = ""  # "me", "none" or everyone
    late: bool = False
    status: str = ""  # a CaseStatus value or every status
    awaiting_me: bool = False  # proposed decisions someone else proposed (four eyes)
    queue: str = ""  # "appeals": open appeals; "changes": change requests to answer
    sort: str = "submitted"

    @classmethod
    def from_query(cls, query, region_ids) -> InboxFilters:
        """Read the filters from a query string; anything else than the known values (the
        regional offices' ids, the statuses, the sorts) means no filter."""
        region = query.get("region", "")
        region_id = int(region) if region.isascii() and region.isdigit() and len(region) < 10 \
            else None
        status = query.get("status", "")
        return cls(
            region_id=region_id if region_id in region_ids else None,
            assigned=query.get("tildelt", "") if query.get("tildelt") in ASSIGNED else "",
            late=query.get("sen") == "yes",
            status=status if status in CaseStatus.values else "",
            awaiting_me=query.get("godkjenning") == "meg",
            queue=query.get("ko", "") if query.get("ko") in QUEUES else "",
            sort=query.get("sorter", "") if query.get("sorter") in SORTS else "submitted")

    def as_query(self) -> dict[str, str]:
        """The filters as query parameters (for links to other pages of the same list)."""
        query = {"region": str(self.region_id or ""), "tildelt": self.assigned,
                 "sen": "yes" if self.late else "", "status": self.status,
                 "godkjenning": "meg" if self.awaiting_me else "", "ko": self.queue,
                 "sorter": self.sort if self.sort != "submitted" else ""}
        return {key: value for key, value in query.items() if value}


def organization_region_id(field: str = "organization") -> SqlCase:
    """The regional office id of the organisation in ``field`` (a foreign key to
    Organization on the queried model) as SQL, as Organization.region() computes it: a
    county's own, a municipality's county's, a city district's municipality's county's;
    NULL for any other organisation. For ``.alias()``/``.annotate()`` and then a filter
    on it: the application inbox and the report inbox filter by regional office with it."""
    return SqlCase(
        When(**{f"{field}__kind": OrganizationKind.COUNTY},
             then=F(f"{field}__regional_office_id")),
        When(**{f"{field}__kind": OrganizationKind.MUNICIPALITY},
             then=F(f"{field}__parent__regional_office_id")),
        When(**{f"{field}__kind": OrganizationKind.CITY_DISTRICT},
             then=F(f"{field}__parent__parent__regional_office_id")),
        default=None, output_field=IntegerField())


def _awaiting(user) -> Q:
    """A proposed decision, not approved, that ``user`` did not propose (four eyes)."""
    pending = Q(case__decision__proposed_at__isnull=False,
                case__decision__approved_at__isnull=True)
    return pending & ~Q(case__decision__proposed_by_id=user.pk) if user else pending


QUEUES = ("appeals", "changes")


def _open_appeal() -> Exists:
    return Exists(Appeal.objects.filter(case__application=OuterRef("pk")).exclude(
        status=Appeal.Status.DECIDED))


def _open_change() -> Exists:
    return Exists(ChangeRequest.objects.filter(case__application=OuterRef("pk"),
                                               status=ChangeRequest.Status.PENDING))


def _status(value: str) -> Q:
    """The case has this status; an application nobody has opened yet is received."""
    if value == CaseStatus.RECEIVED:
        return Q(case__isnull=True) | Q(case__status=value)
    return Q(case__status=value)


def _inbox_base(round_: Round, filters: InboxFilters, user) -> QuerySet[Application]:
    """The round's submitted applications under every filter but the status. Only the
    joins a filter needs: the organisations only for the regional office."""
    # A withdrawal after submission stays visible to the directorate (with its case's status).
    qs = Application.objects.filter(
        Q(status=Status.SUBMITTED) | Q(status=Status.WITHDRAWN, submitted_at__isnull=False),
        round=round_)
    if filters.region_id:
        qs = qs.alias(region_id=organization_region_id()).filter(region_id=filters.region_id)
    if filters.assigned == "me" and user is not None:
        qs = qs.filter(case__assigned_to=user)
    elif filters.assigned == "none":
        qs = qs.filter(case__assigned_to__isnull=True)
    if filters.late:
        qs = qs.filter(late=True)
    if filters.awaiting_me:
        qs = qs.filter(_awaiting(user))
    if filters.queue == "appeals":
        qs = qs.filter(_open_appeal())
    elif filters.queue == "changes":
        qs = qs.filter(_open_change())
    return qs


def _filtered(round_: Round, filters: InboxFilters, user) -> QuerySet[Application]:
    qs = _inbox_base(round_, filters, user)
    return qs.filter(_status(filters.status)) if filters.status else qs


def _shown(qs: QuerySet[Application], sort: str) -> QuerySet[Application]:
    """What a row shows: the applicant, its regional office, the case officer, the title
    (not the whole content)."""
    return (qs.select_related("organization", "case__assigned_to").defer("content")
            .annotate(region_id=organization_region_id(),
                      project_title=KeyTextTransform("project_title", "content"))
            .order_by(*SORTS[sort]))


def inbox(round_: Round, filters: InboxFilters | None = None, *, user=None
          ) -> QuerySet[Application]:
    """The inbox's rows in order, as a query (the view shows a page of it)."""
    filters = filters or InboxFilters()
    return _shown(_filtered(round_, filters, user), filters.sort)


@dataclass
class InboxRow:
    application: Application
    region: Organization | None
    amount: Decimal | None
    title: str

    @property
    def case(self):
        return getattr(self.application, "case", None)


@dataclass
class InboxTotals:
    """Counts and the sum over the whole filter, not just the page."""

    rows: int
    amount: Decimal  # applied for by the applications not withdrawn
    unassigned: int
    awaiting_me: int
    per_status: dict[str, int]  # every status, ignoring the status filter
    open_appeals: int = 0
    open_changes: int = 0


def inbox_totals(round_: Round, filters: InboxFilters, *, user=None) -> InboxTotals:
    """One query: the counts per status of the filter (without its status, so that each
    status shows how many it would give), and the number of rows, the amount applied for,
    the unassigned and the decisions waiting for ``user``'s approval in the filter."""
    chosen = _status(filters.status) if filters.status else Q(pk__isnull=False)
    aggregates = {f"status_{value}": Count("pk", filter=_status(value))
                  for value in CaseStatus.values}
    result = _inbox_base(round_, filters, user).aggregate(
        rows=Count("pk", filter=chosen),
        amount=Sum("amount_applied", filter=chosen & Q(status=Status.SUBMITTED)),
        unassigned=Count("pk", filter=chosen & Q(case__assigned_to__isnull=True)),
        awaiting_me=Count("pk", filter=chosen & _awaiting(user)),
        open_appeals=Count("pk", filter=chosen & Q(_open_appeal())),
        open_changes=Count("pk", filter=chosen & Q(_open_change())),
        **aggregates)
    return InboxTotals(
        rows=result["rows"], amount=result["amount"] or Decimal(0),
        unassigned=result["unassigned"], awaiting_me=result["awaiting_me"] if user else 0,
        per_status={value: result[f"status_{value}"] for value in CaseStatus.values},
        open_appeals=result["open_appeals"], open_changes=result["open_changes"])


class _CountedPaginator(Paginator):
    """A paginator told the number of rows (counted with the totals) instead of asking."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


def inbox_page(round_: Round, filters: InboxFilters, *, user=None, page: str | None = None,
               regions=()) -> tuple[Page, InboxTotals]:
    """One page of the inbox (PAGE_SIZE rows; a page number out of range gives the last
    page, anything not a number the first) and the totals of the whole filter. The rows'
    regional offices are looked up in ``regions`` (the offices the view lists anyway)."""
    totals = inbox_totals(round_, filters, user=user)
    # The page's ids come from a narrow query (only the joins the filter and the order
    # need); the rows are read for those ids only, in the same query as its subquery.
    ids = (_filtered(round_, filters, user).order_by(*SORTS[filters.sort])
           .values_list("pk", flat=True))
    paginator = _CountedPaginator(ids, PAGE_SIZE, count=totals.rows)
    number = page if isinstance(page, str) and len(page) <= 9 else None
    result = paginator.get_page(number)
    rows = _shown(Application.objects.filter(pk__in=result.object_list), filters.sort)
    by_id = {office.pk: office for office in regions}
    result.object_list = [
        InboxRow(a, by_id.get(a.region_id), a.amount_applied, a.project_title or str(round_))
        for a in rows]
    return result, totals


def page_links(page: Page, *, around: int = 2) -> list[int | None]:
    """The page numbers to link to: the first, the last and ``around`` on each side of the
    current one; None where numbers are left out."""
    last, current = page.paginator.num_pages, page.number
    shown = sorted({1, last, *range(max(1, current - around), min(last, current + around) + 1)})
    links: list[int | None] = []
    for number in shown:
        if links and number - (links[-1] or 0) > 1:
            links.append(None)
        links.append(number)
    return links


def timeline(application: Application) -> list[AuditEvent]:
    """Every event about the application, from the audit log, oldest first; each with its
    ``details`` in words (ids and hashes left out: the page shows what they point to)."""
    events = list(AuditEvent.objects.filter(object_type="applications.application",
                                            object_id=str(application.pk))
                  .select_related("actor", "actor_organization").order_by("occurred_at", "id"))
    hidden = {"application_id", "case_id", "letter_id", "note_id", "appeal_id", "change_id",
              "decision_id", "attachment_id", "content_hash", "sha256", "version",
              "obligation_id", "snapshot_id"}
    ids = {e.payload.get("user_id") for e in events if isinstance(e.payload, dict)} - {None}
    users = {u.pk: u.get_full_name() or u.username for u in User.objects.filter(pk__in=ids)}
    for event in events:
        payload = {k: v for k, v in (event.payload or {}).items() if k not in hidden}
        event.details = event_details(AuditEvent(event_type=event.event_type, payload=payload),
                                      users=users)
    return events


@dataclass
class SummaryRow:
    application: Application
    amount: Decimal | None
    averages: dict[str, Decimal | None]
    assessors: int
    decision: object | None = None
    running_total: Decimal = Decimal(0)
    beyond_frame: bool = False

    @property
    def total(self) -> Decimal | None:
        values = [v for v in self.averages.values() if v is not None]
        return (sum(values) / len(values)).quantize(Decimal("0.01")) if values else None


def assessment_summary(round_: Round) -> list[SummaryRow]:
    """Every assessed application of the round with its average score per criterion."""
    apps = list(Application.objects.filter(
        round=round_, status=Status.SUBMITTED,
        case__status__in=[CaseStatus.IN_ASSESSMENT, CaseStatus.GRANTED, CaseStatus.REFUSED,
                          CaseStatus.ACCEPTED, CaseStatus.LAPSED])
        .select_related("round__scheme", "organization", "case__decision"))
    scores: dict[int, dict[str, list[int]]] = {}
    assessors: dict[int, set[int]] = {}
    for a in Assessment.objects.filter(case__application__in=apps).values(
            "case__application_id", "criterion", "score", "assessor_id"):
        app_id = a["case__application_id"]
        scores.setdefault(app_id, {}).setdefault(a["criterion"], []).append(a["score"])
        assessors.setdefault(app_id, set()).add(a["assessor_id"])
    rows = []
    for app in apps:
        per = scores.get(app.pk, {})
        averages = {c: (Decimal(sum(per[c])) / len(per[c])).quantize(Decimal("0.01"))
                    if per.get(c) else None for c in Criterion.values}
        rows.append(SummaryRow(app, amount_applied(app), averages,
                               len(assessors.get(app.pk, ())),
                               getattr(app.case, "decision", None)))
    rows.sort(key=lambda r: (r.total is None, -(r.total or 0)))
    # Allocation: the running total of proposed and approved grants in ranked order,
    # against the frame (lapsed grants free their money).
    running = Decimal(0)
    for row in rows:
        d = row.decision
        if d is not None and d.kind == "commitment" and d.lapsed_at is None:
            running += d.amount or 0
            row.beyond_frame = running > round_.budget_frame
        row.running_total = running
    return rows


def grant_recipients(round_: Round) -> list[tuple[str, list[Application]]]:
    """The published list: applicant and project, grouped by focus area (like the lists
    the directorate publishes, seed 003). Approved grants that have not lapsed."""
    apps = list(Application.objects.filter(
        round=round_, case__status__in=[CaseStatus.GRANTED, CaseStatus.ACCEPTED],
        case__decision__approved_at__isnull=False,
        case__decision__kind="commitment").select_related("organization")
        .order_by("organization__name"))
    areas = {a.number: str(a) for a in round_.focus_areas.all()}
    groups: dict[str, list[Application]] = {}
    for app in apps:
        key = areas.get(app.content.get("focus_area"), "")
        groups.setdefault(key, []).append(app)
    return sorted(groups.items())


# -- reads the case page and the services share ------------------------------------------

def officers():
    """Users who hold the case officer role at the directorate or a regional office."""
    return User.objects.filter(
        pk__in=RoleAssignment.objects.active().filter(role=Role.CASE_OFFICER).values(
            "user_id"), is_active=True).order_by("first_name", "last_name")


def screening_facts(application: Application) -> list[tuple[str, bool, str]]:
    """The formal checks, each (what, passed, detail), for the officer to confirm."""
    from django.utils.translation import get_language
    from django.utils.translation import gettext as _

    refusal = round_may_apply(application.round, application.organization)
    blocking = [f.text(get_language()) for f in application_checklist(application).blocking
                if f.code not in ("not_named", "wrong_kind")]
    in_time = not application.late and (
        application.submitted_at is not None
        and application.submitted_at < application.round.deadline)
    return [
        (_("Submitted in time"), in_time,
         "" if in_time else _("Registered as late by the directorate.")),
        (_("The applicant may apply"), refusal is None,
         refusal.text(get_language()) if refusal else ""),
        (_("The formal conditions are met"), not blocking, " ".join(blocking)),
    ]


def committed_in_round(round_) -> Decimal:
    """The total of approved grants in the round."""
    total = Decision.objects.filter(case__application__round=round_, kind="commitment",
                                    approved_at__isnull=False).aggregate(t=Sum("amount"))["t"]
    return total or Decimal(0)
