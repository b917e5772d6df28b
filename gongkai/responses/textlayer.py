"""An invisible, searchable text layer for a rasterised page (what OCR tools put on scans).

The characters kept on a redacted page are written back with text render mode 3 (invisible)
at exactly their original origin, size, matrix and advance, so that text extraction, search
and selection work as before everywhere outside the marks — and the characters under the
marks are simply not there.

The font is a *glyphless* TrueType font (every glyph empty), embedded once per document as a
Type0/CIDFontType2 font: character codes are CIDs allocated per distinct (character, advance
width), the /W array gives each CID its width, a CIDToGIDMap sends every CID to the one empty
glyph, and the ToUnicode map gives each CID its character — which is all that pypdf, pdfminer,
PDFium and viewers need to extract and search the text. Nothing is drawn, so no real outlines
(and no CJK font file) are needed.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Iterable

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from gongkai.responses.pdfchars import Char

FONT_NAME = "GlyphLessFont"
#: A run of characters shares one text matrix; its next origin must lie on the baseline within
#: this fraction of the em, or a new run starts.
BASELINE_TOLERANCE = 0.05
#: Largest drift (points) of a rebuilt character from its origin before a TJ adjustment.
DRIFT = 0.005


@functools.cache
def glyphless_font() -> bytes:
    """A minimal TrueType font for invisible text (built once per process).

    Its one glyph is a speck at the origin (1/100 em): never painted under render mode 3, but
    not empty, since PDFium skips text objects whose glyphs have no extent at all (rotated
    text would be lost to its text extraction).
    """
    fb = FontBuilder(unitsPerEm=1000, isTTF=True)
    fb.setupGlyphOrder([".notdef", "blank"])
    fb.setupCharacterMap({})
    pen = TTGlyphPen(None)
    pen.moveTo((0, 0))
    pen.lineTo((0, 10))
    pen.lineTo((10, 10))
    pen.lineTo((10, 0))
    pen.closePath()
    fb.setupGlyf({".notdef": TTGlyphPen(None).glyph(), "blank": pen.glyph()})
    fb.setupHorizontalMetrics({".notdef": (1000, 0), "blank": (1000, 0)})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": FONT_NAME, "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    fb.setupPost()
    out = io.BytesIO()
    fb.save(out)
    return out.getvalue()


def _fmt(value: float, decimals: int = 4) -> str:
    """A number for a content stream: no exponent, no trailing zeros."""
    text = f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


class TextLayerFont:
    """The document's invisible font: allocates CIDs and writes the font objects at the end."""

    def __init__(self, writer: PdfWriter) -> None:
        self._writer = writer
        self._cids: dict[tuple[str, int], int] = {}
        self._font = DictionaryObject()
        self.ref: IndirectObject = writer._add_object(self._font)

    def cid(self, text: str, width: int) -> int:
        """The CID for ``text`` drawn with advance ``width`` (glyph units of 1/1000 em)."""
        key = (text, width)
        found = self._cids.get(key)
        if found is None:
            found = len(self._cids) + 1  # CID 0 is .notdef
            if found > 0xFFFF:
                raise ValueError("too many distinct characters for one text layer")
            self._cids[key] = found
        return found

    def finish(self) -> None:
        """Fill in the font dictionaries (call once, after every page is written)."""
        w = self._writer
        last = len(self._cids)
        widths = ArrayObject()
        if last:
            widths.append(NumberObject(1))
            widths.append(
                ArrayObject(
                    NumberObject(width)
                    for (_text, width) in sorted(self._cids, key=self._cids.__getitem__)
                )
            )
        font_file = StreamObject()
        font_file.set_data(glyphless_font())
        font_file[NameObject("/Length1")] = NumberObject(len(glyphless_font()))
        font_file = font_file.flate_encode()
        descriptor = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/FontDescriptor"),
                NameObject("/FontName"): NameObject("/" + FONT_NAME),
                NameObject("/Flags"): NumberObject(5),
                NameObject("/FontBBox"): ArrayObject(
                    [NumberObject(0), NumberObject(-200), NumberObject(1000), NumberObject(800)]
                ),
                NameObject("/ItalicAngle"): NumberObject(0),
                NameObject("/Ascent"): NumberObject(800),
                NameObject("/Descent"): NumberObject(-200),
                NameObject("/CapHeight"): NumberObject(700),
                NameObject("/StemV"): NumberObject(80),
                NameObject("/FontFile2"): w._add_object(font_file),
            }
        )
        gid_map = StreamObject()
        gid_map.set_data(b"\x00\x01" * (last + 1))
        cid_font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/CIDFontType2"),
                NameObject("/BaseFont"): NameObject("/" + FONT_NAME),
                NameObject("/CIDSystemInfo"): DictionaryObject(
                    {
                        NameObject("/Registry"): TextStringObject("Adobe"),
                        NameObject("/Ordering"): TextStringObject("Identity"),
                        NameObject("/Supplement"): NumberObject(0),
                    }
                ),
                NameObject("/FontDescriptor"): w._add_object(descriptor),
                NameObject("/DW"): NumberObject(1000),
                NameObject("/W"): widths,
                NameObject("/CIDToGIDMap"): w._add_object(gid_map.flate_encode()),
            }
        )
        to_unicode = StreamObject()
        to_unicode.set_data(self._cmap())
        self._font.update(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type0"),
                NameObject("/BaseFont"): NameObject("/" + FONT_NAME),
                NameObject("/Encoding"): NameObject("/Identity-H"),
                NameObject("/DescendantFonts"): ArrayObject([w._add_object(cid_font)]),
                NameObject("/ToUnicode"): w._add_object(to_unicode.flate_encode()),
            }
        )

    def _cmap(self) -> bytes:
        entries = sorted((cid, text) for (text, _w), cid in self._cids.items())
        lines = [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            "<0000> <FFFF>",
            "endcodespacerange",
        ]
        for start in range(0, len(entries), 100):
            chunk = entries[start : start + 100]
            lines.append(f"{len(chunk)} beginbfchar")
            lines.extend(f"<{cid:04X}> <{_utf16_hex(text)}>" for cid, text in chunk)
            lines.append("endbfchar")
        lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
        return "\n".join(lines).encode("ascii")


def _same_run(prev: Char, nxt: Char) -> bool:
    """True when ``nxt`` continues ``prev``'s line: same size and matrix, on the baseline, ahead."""
    if nxt.size != prev.size or nxt.matrix != prev.matrix or nxt.index != prev.index + 1:
        return False
    a, b, c, d = prev.matrix
    norm = math.hypot(a, b) or 1.0
    dx, dy = nxt.x - prev.x, nxt.y - prev.y
    along = (dx * a + dy * b) / norm
    across = abs(-dx * b + dy * a) / norm
    em = prev.size * (math.hypot(c, d) or 1.0)
    return across <= BASELINE_TOLERANCE * em and along >= -BASELINE_TOLERANCE * em


def _runs(chars: Iterable[Char]) -> list[list[Char]]:
    runs: list[list[Char]] = []
    for char in chars:
        if runs and _same_run(runs[-1][-1], char):
            runs[-1].append(char)
        else:
            runs.append([char])
    return runs


def text_layer(chars: Iterable[Char], font: TextLayerFont, font_name: str = "/F0") -> bytes:
    """Content-stream operators writing ``chars`` invisibly at their exact places.

    Each character's advance, rounded to a whole glyph unit (readers keep CID widths as
    integers), goes into the font's /W widths. Along a run the rounding is tracked, and a TJ
    position adjustment puts the next character back at its exact origin whenever the drift
    would exceed DRIFT points (and wherever the original spacing differs: word spacing,
    kerning, justification).
    """
    out: list[str] = []
    for run in _runs(c for c in chars if not c.generated and c.size > 0):
        first = run[0]
        a, b, c, d = first.matrix
        norm = math.hypot(a, b) or 1.0
        size = first.size
        scale = size * norm  # user-space length of one text-space unit along the baseline
        limit = DRIFT / scale * 1000  # DRIFT in glyph units
        items: list[str] = []
        codes: list[str] = []
        position = 0.0  # where the reader's pen is, glyph units along the run
        for i, char in enumerate(run):
            width = round(char.advance / scale * 1000)
            codes.append(f"{font.cid(char.text, width):04X}")
            position += width
            if i + 1 < len(run):
                nxt = run[i + 1]
                along = ((nxt.x - first.x) * a + (nxt.y - first.y) * b) / norm
                target = along / scale * 1000
                if abs(target - position) > limit:
                    items.append(f"<{''.join(codes)}> {_fmt(position - target)}")
                    codes = []
                    position = target
        if codes:
            items.append(f"<{''.join(codes)}>")
        out.append(
            f"{font_name} {_fmt(size)} Tf {_fmt(a, 6)} {_fmt(b, 6)} {_fmt(c, 6)} {_fmt(d, 6)} "
            f"{_fmt(first.x)} {_fmt(first.y)} Tm [{' '.join(items)}] TJ"
        )
    if not out:
        return b""
    return ("BT 3 Tr\n" + "\n".join(out) + "\nET\n").encode("ascii")


def content_stream(data: bytes) -> DecodedStreamObject:
    """A content stream object holding ``data`` (compressed when written)."""
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream
