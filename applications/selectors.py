"""Reads of an application that pages and case handling need."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q
from django.http import Http404

from rules.errors import RuleError

from .checks import computed_grant
from .models import Application

AMOUNT_DIGITS = 14  # Application.amount_applied: whole kroner, 14 digits


def computed_amount_applied(application: Application) -> Decimal | None:
    """The grant applied for, from the application's content, in whole kroner: computed
    from the places for Jobbsjansen 2026, otherwise the amount the applicant gave. None
    when the content gives no amount, or none that fits the column."""
    try:
        grant = computed_grant(application)
    except (RuleError, ValueError, TypeError):
        grant = None
    if grant is not None:
        value = grant.total
    else:
        raw = application.content.get("amount_applied")
        try:
            value = Decimal(str(raw)) if raw not in (None, "") else None
        except ArithmeticError:
            return None
    if value is None or not value.is_finite() or abs(value) >= Decimal(10) ** AMOUNT_DIGITS:
        return None
    return value.quantize(Decimal(1))


def amount_applied(application: Application) -> Decimal | None:
    """The amount applied for: stored when the application was signed, computed from the
    content before that (a draft) or when nothing was stored."""
    if application.amount_applied is not None:
        return application.amount_applied
    return computed_amount_applied(application)


def application_visible_or_404(actor, pk: int) -> Application:
    """The lead's or a partner's application; any other organisation gets 404."""
    org = actor.organization
    application = (Application.objects.select_related("round__scheme", "organization")
                   .filter(pk=pk).filter(Q(organization=org) | Q(partners=org)).first())
    if application is None:
        raise Http404
    return application
