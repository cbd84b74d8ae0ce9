"""Files out of the database (issue 11): letters, receipts and attachments in the file store
(core/files.py), each read checked against its SHA-256; a changed file is refused with a
404 and a log line, never served; the migrations move the blobs that were in the database."""

from __future__ import annotations

import hashlib
import importlib
import logging
import os

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from applications.models import Application, Attachment, Signature
from casework import services
from core import files
from organizations.models import Organization
from tests.conftest import login_as
from tests.register.conftest import actor_for

pytestmark = pytest.mark.django_db


def _tamper(name: str) -> None:
    with open(storages[files.STORAGE].path(name), "wb") as handle:
        handle.write(b"%PDF-1.4 changed")


def test_a_file_is_stored_privately_and_read_back(tilskudd_files_dir):
    data = b"%PDF-1.4 a letter"
    name, sha256 = files.store("letters", "vedtak S-000001.pdf", data)
    assert sha256 == hashlib.sha256(data).hexdigest()
    assert name.startswith(f"letters/{sha256[:2]}/{sha256}-") and " " not in name
    assert (tilskudd_files_dir / name).read_bytes() == data
    assert files.read(name, sha256) == data
    again, _ = files.store("letters", "vedtak S-000001.pdf", data)
    assert again != name and files.read(again, sha256) == data  # never overwritten


def test_the_default_store_is_private_under_var():
    location = str(settings.TILSKUDD_FILES_STORAGE["OPTIONS"]["location"])
    assert location == str(settings.BASE_DIR / "var" / "files") or os.environ.get(
        "TILSKUDD_FILES_DIR")
    for public in (settings.STATIC_ROOT, settings.MEDIA_ROOT):
        assert not location.startswith(str(public))


def test_a_changed_or_missing_file_is_refused_and_logged(caplog):
    name, sha256 = files.store("attachments", "budsjett.pdf", b"%PDF-1.4 budsjett")
    _tamper(name)
    with caplog.at_level(logging.ERROR, logger="tilskudd.files"):
        with pytest.raises(files.FileIntegrityError):
            files.read(name, sha256)
        with pytest.raises(files.FileIntegrityError):
            files.read("attachments/no/such-file.pdf", sha256)
        with pytest.raises(files.FileIntegrityError):
            files.read("", sha256)
    assert "Stored file changed" in caplog.text and name in caplog.text
    assert "Stored file missing" in caplog.text


def test_a_changed_attachment_receipt_or_letter_is_a_404_never_served(client, caplog):
    attachment = Attachment.objects.get(name="Intensjonsavtale NAV Drammen.pdf")
    application = attachment.application
    login_as(client, "eva.soknad", organization=application.organization)
    url = reverse("applications:attachment",
                  kwargs={"pk": application.pk, "attachment_id": attachment.pk})
    assert client.get(url).content == attachment.read_data()
    copy, _ = files.store("attachments", "copy.pdf", attachment.read_data())
    Attachment.objects.filter(pk=attachment.pk).update(file=copy)  # rolled back after
    _tamper(copy)
    with caplog.at_level(logging.ERROR, logger="tilskudd.files"):
        response = client.get(url)
    assert response.status_code == 404 and b"changed" not in response.content
    assert copy in caplog.text

    submitted = Application.objects.get(organization__code="3301", status="submitted")
    signature = submitted.signature
    login_as(client, "ola.saksbehandler")
    receipt = reverse("casework:receipt", kwargs={"pk": submitted.pk})
    assert client.get(receipt).content == signature.read_receipt()
    copy, _ = files.store("receipts", "copy.pdf", signature.read_receipt())
    Signature.objects.filter(pk=signature.pk).update(receipt_file=copy)
    _tamper(copy)
    assert client.get(receipt).status_code == 404

    officer = actor_for("ola.saksbehandler", Organization.objects.get(code="IMDI-SOR"))
    case = services.case_screen(actor=officer, application=submitted, passed=False,
                                reason="conditions", reason_text="Mangler budsjett.")
    letter = case.letters.get()
    url = reverse("casework:letter", kwargs={"pk": submitted.pk, "letter_id": letter.pk})
    assert client.get(url).content == letter.read_pdf()
    _tamper(letter.file)
    assert client.get(url).status_code == 404


def _state_apps(app: str, migration: str):
    return MigrationExecutor(connection).loader.project_state((app, migration)).apps


def test_the_migrations_move_the_blobs_out_of_the_database(caplog):
    moving = importlib.import_module("applications.migrations.0006_files_in_storage")
    letters = importlib.import_module("casework.migrations.0004_letter_file_in_storage")
    submitted = Application.objects.get(organization__code="3301", status="submitted")
    officer = actor_for("ola.saksbehandler", Organization.objects.get(code="IMDI-SOR"))
    letter = services.case_screen(actor=officer, application=submitted, passed=False,
                                  reason="conditions", reason_text="Mangler budsjett."
                                  ).letters.get()
    attachment = Attachment.objects.get(name="Intensjonsavtale NAV Drammen.pdf")
    signature = submitted.signature
    receipt, pdf, data = signature.read_receipt(), letter.read_pdf(), attachment.read_data()
    # The rows as they were before: the bytes in the database, no storage name.
    Signature.objects.filter(pk=signature.pk).update(receipt_pdf=receipt, receipt_file="")
    Attachment.objects.filter(pk=attachment.pk).update(data=data, file="")
    type(letter).objects.filter(pk=letter.pk).update(pdf=pdf, file="")
    # One more attachment whose blob no longer matches its recorded hash.
    broken = Attachment.objects.create(application=attachment.application, name="x.pdf",
                                       content_type="application/pdf", size=3,
                                       sha256=hashlib.sha256(b"abc").hexdigest(), data=b"abd")

    with caplog.at_level(logging.ERROR, logger="tilskudd.files"):
        moving.move(_state_apps("applications", "0006_files_in_storage"), None)
    letters.move(_state_apps("casework", "0004_letter_file_in_storage"), None)

    signature.refresh_from_db()
    attachment.refresh_from_db()
    letter.refresh_from_db()
    broken.refresh_from_db()
    assert signature.receipt_pdf is None and signature.read_receipt() == receipt
    assert signature.receipt_file.startswith(f"receipts/{signature.receipt_hash[:2]}/"
                                             f"{signature.receipt_hash}-signature-{signature.pk}")
    assert attachment.data is None and attachment.read_data() == data
    assert attachment.file.endswith(f"-attachment-{attachment.pk}")
    assert letter.pdf is None and letter.read_pdf() == pdf
    assert letter.file.startswith("letters/") and letter.file.endswith(f"-letter-{letter.pk}")
    # The mismatched blob is stored but kept in the database, and logged.
    assert bytes(broken.data) == b"abd" and broken.file
    assert f"attachment {broken.pk}" in caplog.text
    # Run again: nothing more to move.
    assert files.move_blobs(Attachment, kind="attachments", blob="data", name="file",
                            sha="sha256") == 0
    # And back (the reverse migration): the bytes return to the database.
    Attachment.objects.filter(pk=broken.pk).delete()
    moving.restore(_state_apps("applications", "0006_files_in_storage"), None)
    attachment.refresh_from_db()
    assert bytes(attachment.data) == data and attachment.file == ""
