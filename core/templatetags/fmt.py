"""Norwegian formats in templates: ``{% load fmt %}`` then ``{{ x|amount }}``.

The filters are the functions of ``core.formatting``; see there for what each returns.
"""

from decimal import Decimal

from django import template
from django.utils.translation import get_language
from stdnum.no import kontonr

from core import formatting
from core.labels import mail_kind_label

register = template.Library()


@register.filter
def amount(value, decimals=0):
    """``{{ 3600000|amount }}`` → ``3 600 000 kr``."""
    return formatting.amount(value, int(decimals))


@register.filter
def ore(value):
    """Integer øre as kroner: ``{{ 123456700|ore }}`` → ``1 234 567 kr``; with the øre when
    there are any (``1 234 567,50 kr``)."""
    if value is None or value == "":
        return formatting.amount(None)
    kroner = Decimal(int(value)) / 100
    return formatting.amount(kroner, 0 if kroner == kroner.to_integral_value() else 2)


@register.filter
def account(value):
    """An 11-digit account number as written: ``1503.20.80119``."""
    return kontonr.format(value) if value else ""


@register.filter
def number(value, decimals=0):
    """``{{ 1234|number }}`` → ``1 234``; ``{{ 2.456|number:2 }}`` → ``2,46``."""
    return formatting.number(value, int(decimals))


@register.filter
def percent(value, decimals=1):
    """``{{ 11.66|percent }}`` → ``11,7 %``."""
    return formatting.percent(value, int(decimals))


@register.filter
def short_date(value):
    """``01.12.2026``."""
    return formatting.date(value)


@register.filter
def short_datetime(value, seconds=""):
    """``01.12.2026 14:05`` (Norwegian time); ``|short_datetime:"s"`` adds the seconds."""
    return formatting.datetime(value, seconds=bool(seconds))


@register.filter
def month_year(value):
    """``januar 2027`` / ``January 2027``."""
    return formatting.month(value)


@register.filter
def size(value):
    """``12,3 kB``."""
    return formatting.filesize(value)


@register.filter
def mail_kind(value):
    """An outbox row's kind as a label: ``grant_letter`` → "Grant letter"."""
    return mail_kind_label(value or "")


@register.filter
def finding_text(finding):
    """``{{ f|finding_text }}``: a rules finding in the active language (bokmål, nynorsk or
    English, from rules/messages.py); a finding the Django apps made themselves (already
    translated with gettext) as its message."""
    text = getattr(finding, "text", None)
    if callable(text):
        return text(get_language())
    return getattr(finding, "message", "" if finding is None else finding)
