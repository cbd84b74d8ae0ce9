"""Register fixtures: Drammen (signed agreement, demo participants) and fresh people."""

from __future__ import annotations

import datetime
import itertools

import pytest

from accounts.actor import Actor
from accounts.models import User
from organizations.models import Organization
from register.demo import DEMO_PERSONS
from register.population import LocalPopulationRegister

_counter = itertools.count()


@pytest.fixture
def drammen(db) -> Organization:
    return Organization.objects.get(kind="municipality", code="3301")


@pytest.fixture
def grimstad(db) -> Organization:
    return Organization.objects.get(kind="municipality", code="4202")


def actor_for(username: str, organization: Organization) -> Actor:
    from accounts.actor import Membership

    user = User.objects.get(username=username)
    roles = frozenset(user.role_assignments.filter(
        organization=organization, revoked_at__isnull=True).values_list("role", flat=True))
    return Actor(user=user, organization=organization, roles=roles,
                 memberships=(Membership(organization, roles),))


@pytest.fixture
def register_actor(drammen) -> Actor:
    return actor_for("jonas.registrering", drammen)


@pytest.fixture
def fresh_number():
    """A synthetic person no demo participant uses (a new one per call)."""
    numbers = LocalPopulationRegister().numbers()[DEMO_PERSONS + 20:]

    def take() -> str:
        return numbers[next(_counter) % len(numbers)]

    return take


def recent_start() -> datetime.date:
    return datetime.date.today() - datetime.timedelta(days=200)


def unknown_number() -> str:
    """A well-formed synthetic number that the local population register does not know."""
    from rules.identifiers import is_valid_national_id

    known = set(LocalPopulationRegister().numbers())
    for serial in range(100, 999):
        base = f"01{81:02d}90{serial:03d}"  # 1 January (19)90, Tenor month 1 + 80
        for k1 in range(10):
            for k2 in range(10):
                number = f"{base}{k1}{k2}"
                if number not in known and is_valid_national_id(number, allow_synthetic=True):
                    return number
    raise AssertionError("no unknown number found")
