from django import template

from register.views import SLUG_BY_KEY

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def page_slug(key):
    return SLUG_BY_KEY.get(key, key)


@register.filter
def missing_on(checks, page_key):
    return checks.missing_on(page_key) if checks else []
