"""Pinned query counts: the due list, a run's page and the ledger make a fixed number of
queries, the same with ten times the rows; a payee whose account changed is held out of
runs until a finance officer confirms the account."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.actor import Actor, Membership
from accounts.models import User
from accounts.roles import Role
from casework import services as casework
from finance import runs
from finance.models import LineKind, LineStatus, PlanLine
from organizations.models import Organization
from tests.conftest import login_as
from tests.reporting.conftest import granted

from .conftest import finance_officers, grant_2026

pytestmark = pytest.mark.django_db

# The request's own: the session, the user, the second factor, the roles (4), and the
# session's last activity saved (3: savepoint, update, release).
REQUEST_QUERIES = 4 + 3
# The due list: the summary (one aggregate), the paginator's count and the page's rows
# with payee, case, application and round; the confirmations of payees with a changed
# account (only when there are any).
DUE_QUERIES = REQUEST_QUERIES + 3
# A run: the run with its makers, the paginator's count, the page's payments, the status
# files read.
RUN_QUERIES = REQUEST_QUERIES + 4
# The ledger: the balances, the paginator's count, the page of grants, then per page the
# grants, their balances, what they committed, what was paid back and the plan's amounts.
LEDGER_QUERIES = REQUEST_QUERIES + 8


def _more_due(case, count: int) -> None:
    """More due lines on one grant (the page's queries do not depend on how many grants
    the lines belong to: each row's payee, case and application come with it)."""
    start = PlanLine.objects.filter(case=case).count() + 1
    application = case.application
    PlanLine.objects.bulk_create([PlanLine(
        case=case, organization_id=application.organization_id, round_id=application.round_id,
        grant_year=2026, number=start + i, kind=LineKind.TERM, label=f"Termin {i}",
        condition="date", amount_ore=100_00, status=LineStatus.DUE) for i in range(count)])


def _accept(round_title: str, code: str) -> None:
    """A grant accepted by a chief executive of the municipality (made up for the test)."""
    application = granted(round_title, code=code)
    organization = application.organization
    roles = frozenset({Role.CHIEF_EXECUTIVE})
    actor = Actor(user=User.objects.get(username="tor.kommunedirektor"),
                  organization=organization, roles=roles,
                  memberships=(Membership(organization, roles),))
    casework.grant_accept(actor=actor, application=application)


def imdi():
    return Organization.objects.get(code="IMDI")


def test_the_due_list_makes_the_same_queries_for_5_or_50_lines(client,
                                                               django_assert_num_queries):
    case = grant_2026().case
    login_as(client, "per.okonomi", organization=imdi())
    for total in (5, 50):
        _more_due(case, total - PlanLine.objects.filter(status=LineStatus.DUE).count())
        with django_assert_num_queries(DUE_QUERIES):
            response = client.get(reverse("finance:due"))
        assert len(response.context["rows"]) == total


def test_a_run_page_makes_the_same_queries_for_5_or_50_payments(client,
                                                                django_assert_num_queries):
    case = grant_2026().case
    per, _nina = finance_officers()
    login_as(client, "nina.okonomi", organization=imdi())
    for total in (5, 50):
        _more_due(case, total - PlanLine.objects.filter(status=LineStatus.DUE).count())
        run = runs.run_create(actor=per)
        assert run.count == total
        with django_assert_num_queries(RUN_QUERIES):
            response = client.get(reverse("finance:run", kwargs={"pk": run.pk}))
        assert len(response.context["rows"]) == total


def test_the_ledger_makes_the_same_queries_for_2_or_20_grants(client,
                                                              django_assert_num_queries):
    codes = list(Organization.objects.filter(kind="municipality").exclude(
        code__in=["3301"]).order_by("code").values_list("code", flat=True)[:20])
    login_as(client, "lars.revisor", organization=imdi())
    for total in (2, 20):
        for code in codes[PlanLine.objects.values("case").distinct().count():total]:
            _accept("Utviklingstilskudd 2025", code)
        with django_assert_num_queries(LEDGER_QUERIES):
            response = client.get(reverse("finance:ledger"))
        assert len(response.context["grants"]) == total
        assert all(row["matches"] and row["balanced"] for row in response.context["grants"])


def test_a_payee_with_a_changed_account_is_held_out_until_confirmed(client):
    application = grant_2026()
    Organization.objects.filter(pk=application.organization_id).update(
        account_changed_at=timezone.now() - datetime.timedelta(days=2))
    per, _nina = finance_officers()
    login_as(client, "per.okonomi", organization=imdi())
    page = client.get(reverse("finance:due")).content.decode()
    assert "Holdt utenfor: konto endret" in page
    with pytest.raises(ValidationError):  # nothing payable
        runs.run_create(actor=per)
    client.post(reverse("finance:account_confirm",
                        kwargs={"org_id": application.organization_id}))
    assert runs.run_create(actor=per).count == 1
