"""Who is acting: the user, the organisation they act for now, and their roles there."""

from __future__ import annotations

from dataclasses import dataclass, field

from organizations.models import Organization

from .roles import DIRECTORATE_ROLES, TWO_FACTOR_ROLES


@dataclass(frozen=True)
class Membership:
    organization: Organization
    roles: frozenset[str]


@dataclass(frozen=True)
class Actor:
    user: object | None
    organization: Organization | None = None
    roles: frozenset[str] = frozenset()
    memberships: tuple[Membership, ...] = field(default_factory=tuple)

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None and self.user.is_authenticated

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_directorate(self) -> bool:
        return bool(
            self.organization is not None
            and self.organization.is_directorate
            and self.roles & DIRECTORATE_ROLES
        )

    @property
    def all_roles(self) -> frozenset[str]:
        return frozenset().union(*(m.roles for m in self.memberships))

    @property
    def needs_two_factor(self) -> bool:
        return bool(self.all_roles & TWO_FACTOR_ROLES)


ANONYMOUS = Actor(user=None)
