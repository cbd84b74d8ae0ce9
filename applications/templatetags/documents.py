"""``{% load documents %}{% application_document application as doc %}``: the application
as the document that was (or is to be) signed; see ``applications/document.py``."""

from django import template
from django.urls import reverse

from applications.document import application_document as build
from applications.document import grant_summary as summary

register = template.Library()

# Where an attachment is downloaded from, per audience.
ATTACHMENT_URLS = {"portal": "applications:attachment", "casework": "casework:attachment"}


@register.simple_tag
def application_document(application, links: str = ""):
    url_name = ATTACHMENT_URLS.get(links)
    url = None
    if url_name:
        def url(attachment):
            return reverse(url_name, kwargs={"pk": application.pk,
                                             "attachment_id": attachment.pk})
    return build(application, attachment_url=url)


@register.filter
def grant_summary(explained):
    """The rules core's explanation, month lines summed per rate: ``line.label``,
    ``line.formula``, ``line.amount`` (formatted)."""
    return summary(explained) if explained is not None else []
