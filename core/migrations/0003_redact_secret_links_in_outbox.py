"""Mail sent before issue 10 kept password reset and invitation links in clear: replace
them with the same text core.mail.REDACTED stores now."""

import re

from django.db import migrations

REDACTED = "[lenke fjernet]"
SECRET_LINK = re.compile(r"\S*/konto/(?:invitasjon|passord/ny)/\S*")


def redact(apps, schema_editor):
    OutboundEmail = apps.get_model("core", "OutboundEmail")
    for message in OutboundEmail.objects.filter(kind__in=["password_reset", "invitation"]):
        body = SECRET_LINK.sub(REDACTED, message.body)
        if body != message.body:
            message.body = body
            message.save(update_fields=["body"])


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_outboundemail_attachment_and_more"),
    ]

    operations = [
        migrations.RunPython(redact, migrations.RunPython.noop, elidable=True),
    ]
