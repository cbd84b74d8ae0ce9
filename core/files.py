"""Files kept outside the database: letters, signing receipts and attachments.

Every file goes through Django's storage API, the ``tilskudd_files`` entry of
``STORAGES`` (a private directory under var/ by default, an S3-compatible store in
production; see docs/operations.md). A row keeps the storage name and the file's SHA-256;
``read`` checks the hash on every read, so a changed or damaged file is refused (logged,
never served).
"""

from __future__ import annotations

import hashlib
import logging
import re

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.http import Http404

logger = logging.getLogger("tilskudd.files")

STORAGE = "tilskudd_files"


class FileIntegrityError(Exception):
    """A stored file is missing or no longer has the hash recorded for it."""


def _storage():
    return storages[STORAGE]


def _safe(hint: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", hint).strip("-.")[:80] or "file"


def store(kind: str, name_hint: str, data: bytes) -> tuple[str, str]:
    """Save ``data`` under ``<kind>/<sha[:2]>/<sha>-<hint>``; return (storage name, sha256)."""
    data = bytes(data)
    sha256 = hashlib.sha256(data).hexdigest()
    wanted = f"{_safe(kind)}/{sha256[:2]}/{sha256}-{_safe(name_hint)}"
    name = _storage().save(wanted, ContentFile(data))
    return name, sha256


def read(name: str, sha256: str) -> bytes:
    """The file's bytes, after checking them against ``sha256``; else FileIntegrityError."""
    if not name:
        logger.error("Stored file missing: no storage name (expected sha256 %s)", sha256)
        raise FileIntegrityError("no storage name")
    try:
        with _storage().open(name, "rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError) as error:
        logger.error("Stored file missing: %s (%s)", name, error)
        raise FileIntegrityError(f"{name}: missing") from error
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha256:
        logger.error("Stored file changed: %s has sha256 %s, expected %s", name, actual, sha256)
        raise FileIntegrityError(f"{name}: sha256 {actual} != {sha256}")
    return data


def read_or_404(name: str, sha256: str) -> bytes:
    """``read`` for views: a file that fails its check is answered 404 (and logged)."""
    try:
        return read(name, sha256)
    except FileIntegrityError as error:
        raise Http404("The file failed its integrity check.") from error


def move_blobs(model, *, kind: str, blob: str, name: str, sha: str) -> int:
    """Move ``model``'s database blobs into the store (the data migrations of issue 11).

    Each blob is written as ``<kind>/<sha[:2]>/<sha>-<model>-<id>``, read back and checked,
    and only then is the storage name set and the blob emptied, row by row. A blob that
    does not match its recorded hash is stored all the same but kept in the database too
    (logged), so nothing is lost. Returns the number of rows moved."""
    moved = 0
    label = model._meta.model_name
    pks = list(model.objects.filter(**{f"{name}": ""}).exclude(**{f"{blob}__isnull": True})
               .values_list("pk", flat=True).order_by("pk"))
    for pk in pks:
        row = model.objects.get(pk=pk)
        data = bytes(getattr(row, blob))
        recorded = getattr(row, sha)
        stored, actual = store(kind, f"{label}-{pk}", data)
        if actual != recorded:
            logger.error("%s %s: the blob's sha256 %s is not the recorded %s; stored as %s "
                         "and kept in the database", label, pk, actual, recorded, stored)
            model.objects.filter(pk=pk).update(**{name: stored})
        else:
            read(stored, recorded)
            model.objects.filter(pk=pk).update(**{name: stored, blob: None})
        moved += 1
    return moved


def restore_blobs(model, *, blob: str, name: str, sha: str) -> int:
    """The reverse of ``move_blobs``: put the stored bytes back in the database column."""
    restored = 0
    for pk in (model.objects.exclude(**{name: ""}).filter(**{f"{blob}__isnull": True})
               .values_list("pk", flat=True).order_by("pk")):
        row = model.objects.get(pk=pk)
        model.objects.filter(pk=pk).update(**{blob: read(getattr(row, name), getattr(row, sha)),
                                               name: ""})
        restored += 1
    return restored
