"""Reading users and roles, always scoped to what the actor may see."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from organizations.models import Organization

from .actor import Actor, Membership
from .models import Invitation, RoleAssignment, User
from .permissions import can_view_signers
from .roles import SIGNER_ROLES, TWO_FACTOR_ROLES, Role


def user_memberships(user) -> tuple[Membership, ...]:
    """The organisations where the user holds active roles, directorate first."""
    if user is None or not user.is_authenticated:
        return ()
    by_org: dict[int, tuple[Organization, set[str]]] = {}
    for assignment in (
        RoleAssignment.objects.active().filter(user=user).select_related("organization")
    ):
        org, roles = by_org.setdefault(assignment.organization_id, (assignment.organization, set()))
        roles.add(assignment.role)
    memberships = [Membership(org, frozenset(roles)) for org, roles in by_org.values()]
    memberships.sort(key=lambda m: (not m.organization.is_directorate, m.organization.code))
    return tuple(memberships)


def user_needs_two_factor(user) -> bool:
    return RoleAssignment.objects.active().filter(user=user, role__in=TWO_FACTOR_ROLES).exists()


def user_list_for(actor: Actor) -> QuerySet[User]:
    """Users the actor may see: all for a system administrator, otherwise the users with
    an active role in the actor's own organisation (nobody for anyone else)."""
    users = User.objects.order_by("last_name", "first_name", "username")
    if actor.has(Role.SYSTEM_ADMIN) and actor.is_directorate:
        return users
    if actor.has(Role.MUNICIPALITY_ADMIN) and actor.organization is not None:
        return users.filter(
            role_assignments__organization=actor.organization,
            role_assignments__revoked_at__isnull=True,
        ).distinct()
    return users.none()


def user_list_with_roles(actor: Actor, *, query: str = "", organization_id: int | None = None):
    users = user_list_for(actor)
    if query:
        from django.db.models import Q

        users = users.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
        )
    if organization_id:
        users = users.filter(
            role_assignments__organization_id=organization_id,
            role_assignments__revoked_at__isnull=True,
        ).distinct()
    visible_roles = RoleAssignment.objects.active().select_related("organization")
    if not (actor.has(Role.SYSTEM_ADMIN) and actor.is_directorate):
        visible_roles = visible_roles.filter(organization=actor.organization)
    return users.prefetch_related(
        Prefetch("role_assignments", queryset=visible_roles, to_attr="visible_roles")
    )


def role_assignments_visible_to(actor: Actor, user: User) -> QuerySet[RoleAssignment]:
    assignments = RoleAssignment.objects.filter(user=user).select_related(
        "organization", "granted_by", "revoked_by"
    ).order_by("revoked_at", "organization__code", "role")
    if actor.has(Role.SYSTEM_ADMIN) and actor.is_directorate:
        return assignments
    return assignments.filter(organization=actor.organization)


def invitation_list_for(actor: Actor) -> QuerySet[Invitation]:
    invitations = Invitation.objects.filter(
        accepted_at__isnull=True, declined_at__isnull=True
    ).select_related(
        "organization", "invited_by"
    )
    if actor.has(Role.SYSTEM_ADMIN) and actor.is_directorate:
        return invitations
    if actor.has(Role.MUNICIPALITY_ADMIN) and actor.organization is not None:
        return invitations.filter(organization=actor.organization)
    return invitations.none()


def signer_list_for(actor: Actor, *, query: str = "",
                    organization: Organization | None = None) -> QuerySet[RoleAssignment]:
    """Who holds the right to sign (chief executive, delegated signer) where: every
    organisation for the directorate, nothing for anyone else."""
    from django.db.models import Q

    if not can_view_signers(actor):
        return RoleAssignment.objects.none()
    assignments = RoleAssignment.objects.active().filter(role__in=SIGNER_ROLES).select_related(
        "user", "organization", "granted_by"
    ).order_by("organization__kind", "organization__code", "role", "user__last_name", "pk")
    if organization is not None:
        assignments = assignments.filter(organization=organization)
    query = query.strip()[:100]
    if query:
        assignments = assignments.filter(
            Q(organization__name__icontains=query)
            | Q(organization__code__startswith=query)
            | Q(user__first_name__icontains=query)
            | Q(user__last_name__icontains=query)
        )
    return assignments


def organization_contacts(organization: Organization, roles, *, exclude=()) -> list[User]:
    """The active users holding any of ``roles`` in the organisation (for notices)."""
    excluded = [user.pk for user in exclude if user is not None]
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__organization=organization,
            role_assignments__role__in=list(roles),
            role_assignments__revoked_at__isnull=True,
        ).exclude(pk__in=excluded).exclude(email="").distinct().order_by("pk")
    )
