"""Every UI string has an English translation (the catalogue is regenerated to check)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

REPO = Path(settings.REPO_DIR)
IGNORE = [".venv", "var", "test-artifacts", "bench", "docs", "locale", "*/tests/*", "conftest.py"]


def _untranslated(po_text: str) -> list[str]:
    """Return the msgids whose msgstr is empty or that are marked fuzzy."""
    missing = []
    for block in po_text.split("\n\n"):
        ids = re.findall(r'^msgid "(.*)"$|^"(.*)"$', block.split("msgstr")[0], re.M)
        msgid = "".join(a or b for a, b in ids)
        if not msgid or "msgstr" not in block:
            continue
        strs = re.findall(
            r'^msgstr(?:\[\d\])? "(.*)"$|^"(.*)"$', "msgstr" + block.split("msgstr", 1)[1], re.M
        )
        msgstr = "".join(a or b for a, b in strs)
        if not msgstr.strip() or "#, fuzzy" in block:
            missing.append(msgid)
    return missing


def test_every_ui_string_has_an_english_translation(tmp_path):
    """makemessages over the current code finds no msgid without an English msgstr."""
    target = tmp_path / "locale"
    shutil.copytree(REPO / "locale", target)
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        with override_settings(LOCALE_PATHS=[target]):
            call_command(
                "makemessages", locale=["en"], ignore_patterns=IGNORE, verbosity=0, no_obsolete=True
            )
    finally:
        os.chdir(cwd)
    po = (target / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    missing = _untranslated(po)
    assert not missing, f"{len(missing)} strings lack an English translation, e.g. {missing[:10]}"
