"""CJK fonts for the PDF exports, subset once to the common characters instead of per document.

The Noto CJK collections hold about 65,000 glyphs in 20–27 MB each; WeasyPrint copied every
face used (four: serif and sans, regular and bold) and cut it down with HarfBuzz on every
PDF. ``gongkai report pdf-fonts`` (run by ``make run``) cuts each face once to GB2312 plus
ASCII and the CJK punctuation (about 7,700 characters, 3–5 MB) into ``VAR_DIR/fonts``;
:func:`stylesheet` loads them with ``@font-face`` into one WeasyPrint font configuration per
thread, so each PDF subsets the small faces. Characters outside that set (rare characters in
names) still come from the full system font, which stays next in every ``font-family`` list.
Without the built faces the PDF uses the system fonts as before.
"""

from __future__ import annotations

import atexit
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

#: Directories of the Debian fonts-noto-cjk package (opentype in current releases).
NOTO_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto")
#: The character set's version: a change to :func:`common_characters` builds new files.
CHARSET = "gb2312-1"


@dataclass(frozen=True)
class Face:
    """One face: the family name the PDF stylesheet uses, its weight and the Noto source."""

    family: str
    weight: int
    source: str  # file name in NOTO_DIRS
    member: str  # family name of the face inside the collection

    @property
    def filename(self) -> str:
        """The built file's name, e.g. ``gongkai-serif-700-gb2312-1.otf``."""
        return f"{self.family.lower().replace(' ', '-')}-{self.weight}-{CHARSET}.otf"


FACES = (
    Face("Gongkai Serif", 400, "NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"),
    Face("Gongkai Serif", 700, "NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC"),
    Face("Gongkai Sans", 400, "NotoSansCJK-Regular.ttc", "Noto Sans CJK SC"),
    Face("Gongkai Sans", 700, "NotoSansCJK-Bold.ttc", "Noto Sans CJK SC"),
)


def common_characters() -> str:
    """ASCII, Latin-1 punctuation, the CJK symbols and full-width forms, and all of GB2312."""
    chars = {chr(c) for c in range(0x20, 0x7F)}
    chars |= {chr(c) for c in range(0x3000, 0x3040)} | {chr(c) for c in range(0xFF01, 0xFF5F)}
    for first in range(0xA1, 0xF8):
        for second in range(0xA1, 0xFF):
            try:
                chars.add(bytes((first, second)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(sorted(chars))


def font_dir() -> Path:
    """Where the built faces live (``VAR_DIR/fonts``)."""
    return Path(settings.VAR_DIR) / "fonts"


def source_path(face: Face) -> Path | None:
    """The installed Noto collection of ``face``, or None."""
    for directory in NOTO_DIRS:
        path = Path(directory) / face.source
        if path.exists():
            return path
    return None


def build(dest: Path | None = None, *, text: str | None = None, force: bool = False) -> list[Path]:
    """Subset every face of :data:`FACES` to ``text`` (default: :func:`common_characters`)
    into ``dest`` (default: :func:`font_dir`); existing files are kept unless ``force``.

    Takes about half a minute per face; returns the files written."""
    from fontTools import subset
    from fontTools.ttLib import TTCollection, TTFont

    dest = dest or font_dir()
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for face in FACES:
        target = dest / face.filename
        path = source_path(face)
        if path is None or (target.exists() and not force):
            continue
        collection = TTCollection(str(path), lazy=True)
        number = next(
            i for i, f in enumerate(collection.fonts) if f["name"].getDebugName(1) == face.member
        )
        font = TTFont(str(path), fontNumber=number, lazy=True)
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=common_characters() if text is None else text)
        subsetter.subset(font)
        partial = target.with_suffix(".part")
        font.save(str(partial))
        os.replace(partial, target)  # a reader never sees half a file
        written.append(target)
    return written


def font_face_css(directory: Path) -> str:
    """``@font-face`` rules for the built faces in ``directory`` ('' if none is built)."""
    rules = []
    for face in FACES:
        path = directory / face.filename
        if path.exists():
            rules.append(
                f'@font-face {{ font-family: "{face.family}"; font-weight: {face.weight}; '
                f'src: url("{path.resolve().as_uri()}"); }}'
            )
    return "\n".join(rules)


@dataclass
class PdfFonts:
    """A WeasyPrint font configuration with the built faces loaded, and their stylesheet."""

    config: Any  # weasyprint.text.fonts.FontConfiguration
    stylesheet: Any  # weasyprint.CSS


_local = threading.local()


@atexit.register
def _release() -> None:
    """Free the main thread's configuration while WeasyPrint's libraries are still loaded."""
    getattr(_local, "fonts", {}).clear()


def stylesheet(directory: Path | None = None) -> PdfFonts | None:
    """The built faces of ``directory`` (default :func:`font_dir`) loaded once per thread
    (Pango and fontconfig objects are not shared between threads); None if none is built."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    directory = directory or font_dir()
    loaded = getattr(_local, "fonts", {})
    _local.fonts = loaded
    key = str(directory)
    if key not in loaded:
        css = font_face_css(directory)
        if not css:
            return None  # not built: looked for again next time (it may be built meanwhile)
        config = FontConfiguration()
        loaded[key] = PdfFonts(config, CSS(string=css, font_config=config))
    fonts: PdfFonts = loaded[key]
    return fonts
