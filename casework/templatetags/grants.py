"""``{% load grants %}{% change_kinds as kinds %}`` — what an applicant may ask to change;
``{% appealable_letter case as letter %}`` — the decision it may appeal now (a rejection,
a hold-back or a claw-back); for the application's page (which belongs to the portal,
below case handling)."""

from django import template

from casework.models import ChangeRequest
from casework.services import appealable_letter as _appealable_letter

register = template.Library()


@register.simple_tag
def change_kinds():
    return ChangeRequest.Kind.choices


@register.simple_tag
def appealable_letter(case):
    return _appealable_letter(case)
