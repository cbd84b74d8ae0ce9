"""``{% load portal %}{% may_start_application round as can_start %}`` — for the round's
page, which belongs to the schemes below the portal."""

from django import template

from schemes import selectors

from ..permissions import can_edit_applications

register = template.Library()


@register.simple_tag(takes_context=True)
def may_start_application(context, round_) -> bool:
    """Whether the person may start an application in the round now."""
    actor = getattr(context.get("request"), "actor", None)
    if not (actor and actor.is_authenticated and can_edit_applications(actor)):
        return False
    return round_.is_open() and selectors.round_may_apply(round_, actor.organization) is None
