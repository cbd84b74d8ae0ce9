"""Every UI string is translated to bokmål and nynorsk (English is the source)."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory):
    """Run makemessages on a copy of the catalogues, so strings added to the code but
    missing from locale/ show up here."""
    if shutil.which("xgettext") is None:
        pytest.fail("gettext is missing: `make test` installs it (apt-get install gettext)")
    # makemessages writes to the nearest locale/ above each source file, so it runs in a
    # mirror of the project (symlinks) whose only catalogues are the copy: the real
    # locale/ is never touched.
    mirror = tmp_path_factory.mktemp("project")
    skip = {"locale", ".git", ".venv", "node_modules", "var", "tests", "test-artifacts"}
    for entry in ROOT.iterdir():
        if entry.name not in skip:
            (mirror / entry.name).symlink_to(entry)
    copy = mirror / "catalogues"
    shutil.copytree(ROOT / "locale", copy)
    subprocess.run(
        [sys.executable, "-c", (
            "import django, os, sys;"
            "os.environ['DJANGO_SETTINGS_MODULE']='tilskudd.settings.test';"
            "from django.conf import settings;"
            f"settings.LOCALE_PATHS=[{str(copy)!r}];"
            "django.setup();"
            "from django.core.management import call_command;"
            "call_command('makemessages', locale=['nb','nn'], no_obsolete=True, verbosity=0,"
            " symlinks=True, ignore_patterns=['node_modules/*','.venv/*','var/*'])"
        )],
        cwd=mirror, check=True,
    )
    return copy


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_every_string_is_translated(fresh_catalogues, language):
    catalogue = polib.pofile(str(fresh_catalogues / language / "LC_MESSAGES" / "django.po"))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not missing, f"{len(missing)} strings lack a {language} translation: {missing[:10]}"
    assert not fuzzy, f"fuzzy {language} translations: {fuzzy[:10]}"


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_placeholders_survive_translation(language):
    import re

    catalogue = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    pattern = re.compile(r"%\(\w+\)s|%s|%d")
    for entry in catalogue.translated_entries():
        translations = [entry.msgstr] if not entry.msgid_plural else list(
            entry.msgstr_plural.values())
        for text in translations:
            assert sorted(pattern.findall(entry.msgid)) == sorted(pattern.findall(text)) or \
                entry.msgid_plural, (language, entry.msgid)
