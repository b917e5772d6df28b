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


#: A number followed by a separately translated unit reads "30days" in English.
GLUED_UNIT = re.compile(
    r"\}\}\s*\{%\s*(?:translate|trans)\s+\"(?:个)?(?:工作日|日|天|份|件|册|次|页|项|条|分|处|个|人|月)\""
)
#: A count with its unit left untranslated in the template ("3 处" in an English page).
BARE_UNIT = re.compile(
    r"\{\{\s*[\w.|:]+\s*\}\}\s?(?:个工作日|工作日|天|份|件|册|次|页|项|条|分|处)"
)
BLOCKS = re.compile(r"\{%\s*blocktrans(?:late)?\b.*?\{%\s*endblocktrans(?:late)?\s*%\}", re.S)


def test_no_template_glues_a_number_to_a_translated_unit():
    """Counts go through ``{% blocktranslate count %}`` (English: "30 days", "1 day")."""
    offenders = []
    for path in (REPO / "gongkai").rglob("*.html"):
        if "/pdf/" in str(path) or "/tests/" in str(path):
            continue  # documents printed in Chinese only
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path.name}: {m.group(0)}" for m in GLUED_UNIT.finditer(text)]
        outside = BLOCKS.sub("", text)
        offenders += [f"{path.name}: {m.group(0)}" for m in BARE_UNIT.finditer(outside)]
    assert not offenders, offenders
