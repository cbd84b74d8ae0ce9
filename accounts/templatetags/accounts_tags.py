"""``{% load accounts_tags %}{{ assignment.role|role_label }}`` — a role as its name."""

from django import template

from accounts.roles import Role

register = template.Library()


@register.filter
def role_label(value):
    try:
        return Role(value).label
    except ValueError:
        return value
