"""``{% load grants %}{% change_kinds as kinds %}`` — what an applicant may ask to change,
for the application's page (which belongs to the portal, below case handling)."""

from django import template

from casework.models import ChangeRequest

register = template.Library()


@register.simple_tag
def change_kinds():
    return ChangeRequest.Kind.choices
