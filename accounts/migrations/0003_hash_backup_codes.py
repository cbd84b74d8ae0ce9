"""Backup codes stored before issue 10 were in clear: store their keyed hash instead (the
same hash accounts.services.backup_code_digest computes for what the user types)."""

import base64
import hashlib
import hmac

from django.conf import settings
from django.db import migrations

HASHED_LENGTH = 16  # a stored hash fills django-otp's 16-character column; clear codes are 8


def _digest(code: str) -> str:
    normalized = code.replace(" ", "").replace("-", "").strip().lower()
    mac = hmac.new(settings.TILSKUDD_HASH_KEY.encode(), b"backup-code:" + normalized.encode(),
                   hashlib.sha256).digest()
    return base64.b32encode(mac[:10]).decode().lower()[:HASHED_LENGTH]


def hash_clear_codes(apps, schema_editor):
    StaticToken = apps.get_model("otp_static", "StaticToken")
    for token in StaticToken.objects.all().iterator():
        if len(token.token) < HASHED_LENGTH:
            token.token = _digest(token.token)
            token.save(update_fields=["token"])


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_invitation_declined_and_throttle_scopes"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [
        migrations.RunPython(hash_clear_codes, migrations.RunPython.noop, elidable=True),
    ]
