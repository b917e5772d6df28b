"""Every UI string has an English translation that the running platform actually serves."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

REPO = Path(settings.REPO_DIR)
IGNORE = [
    ".venv",
    "var",
    "test-artifacts",
    "bench",
    "docs",
    "locale",
    "*/tests/*",
    "conftest.py",
    "*/testing/*",
]
CJK = re.compile(r"[\u3400-\u9fff]")


def _msgids(po_text: str) -> list[str]:
    ids = []
    for block in po_text.split("\n\n"):
        head = block.split("msgstr")[0]
        if "msgctxt" in head or "msgid_plural" in head:
            continue
        parts = re.findall(r'^msgid "(.*)"$|^"(.*)"$', head, re.M)
        msgid = "".join(a or b for a, b in parts)
        if msgid:
            ids.append(
                msgid.encode("latin1", "backslashreplace")
                .decode("unicode_escape")
                .encode("latin1")
                .decode("utf-8")
                if "\\" in msgid
                else msgid
            )
    return ids


def test_every_ui_string_has_an_english_translation(tmp_path):
    """makemessages over the current code lists the msgids; each is served in English."""
    src = tmp_path / "src"
    shutil.copytree(
        REPO / "gongkai",
        src / "gongkai",
        ignore=shutil.ignore_patterns(
            "__pycache__", "tests", "testing", "locale", "*.pyc", "*.min.js"
        ),
    )
    target = src / "locale"
    (target / "en").mkdir(parents=True)
    cwd = os.getcwd()
    os.chdir(src)
    try:
        with override_settings(LOCALE_PATHS=[target]):
            call_command("makemessages", locale=["en"], ignore_patterns=IGNORE, verbosity=0)
    finally:
        os.chdir(cwd)
    po = (target / "en" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    msgids = [m for m in _msgids(po) if CJK.search(m)]
    assert len(msgids) > 100
    with translation.override("en"):
        missing = [m for m in msgids if translation.gettext(m) == m]
    assert not missing, f"{len(missing)} strings lack an English translation, e.g. {missing[:10]}"
