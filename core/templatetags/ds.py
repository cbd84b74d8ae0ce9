"""Designsystemet helpers for templates."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def ds_widget(field):
    """Render a form field's widget with Designsystemet's classes and ARIA wiring."""
    describedby = field.field.widget.attrs.get("aria-describedby", "").split()
    if field.help_text:
        describedby.append(f"{field.auto_id}_helptext")
    if field.errors:
        describedby.append(f"{field.auto_id}_error")
    attrs = {"class": "ds-input"}
    if describedby:
        attrs["aria-describedby"] = " ".join(describedby)
    if field.errors:
        attrs["aria-invalid"] = "true"
    if field.field.required and not field.is_hidden:
        attrs["required"] = True
    return field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def nav_current(context, url_name_prefix):
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match and match.view_name == url_name_prefix:
        return mark_safe('aria-current="page"')
    return ""
