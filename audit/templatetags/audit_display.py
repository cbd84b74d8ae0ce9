"""``{% load audit_display %}{% for d in event|event_details %}{{ d.label }}: {{ d.value }}``
— an audit event's details in words (audit/display.py)."""

from django import template

from audit import display

register = template.Library()


@register.filter
def event_details(event):
    return display.event_details(event)


@register.filter
def object_label(event):
    """The object an event is about, by name: "Application S-000001", not
    "applications.application #1"."""
    return display.object_label(event)
