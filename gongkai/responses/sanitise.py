"""Strip what a provided PDF must not carry, and check that it carries none of it.

A provided PDF keeps only pages: each page is rebuilt from an allow-list of keys (boxes,
rotation, resources, contents, transparency group), so annotations and form fields, page
actions, thumbnails (a picture of the original page), private application data (/PieceInfo),
structure links and beads go. Below the page, every dictionary reached from the resources loses
/Metadata (XMP), /PieceInfo, /AA, /JS, /JavaScript, /OPI and /Ref (external references). The
document catalogue is never copied: outlines, named JavaScript, embedded files, /OpenAction,
/AcroForm, the XMP packet and the /Info dictionary stay behind.

``structure_problems`` walks a finished file and reports any of these that is still present,
and any object that nothing refers to (a hidden place for old content).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

from gongkai.responses.choices import ProblemKind

#: Keys a provided page keeps; everything else on the page dictionary is dropped.
PAGE_KEYS = frozenset(
    {
        "/Type",
        "/Parent",
        "/MediaBox",
        "/CropBox",
        "/BleedBox",
        "/TrimBox",
        "/ArtBox",
        "/Rotate",
        "/Resources",
        "/Contents",
        "/Group",
        "/UserUnit",
    }
)
#: Keys dropped from every dictionary below a page.
DROP_KEYS = frozenset({"/Metadata", "/PieceInfo", "/AA", "/JS", "/JavaScript", "/OPI", "/Ref"})
#: Keys never followed while walking (they lead back up to the page tree or the catalogue).
BACK_KEYS = frozenset({"/Parent", "/P"})
#: Catalogue keys a provided file may have.
CATALOG_KEYS = frozenset({"/Type", "/Pages"})


def _walk(obj: PdfObject | Any, seen: set[Any]) -> Iterator[DictionaryObject]:
    """Yield every dictionary (streams included) reachable from ``obj``, once each."""
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (id(item.pdf), item.idnum)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            yield item
            stack.extend(v for k, v in item.items() if k not in BACK_KEYS)
        elif isinstance(item, ArrayObject):
            stack.extend(item)


def clean_page(page: DictionaryObject) -> None:
    """Remove from ``page`` (in place) everything a provided page must not carry."""
    for key in list(page.keys()):
        if key not in PAGE_KEYS:
            del page[key]
    seen: set[Any] = set()
    for key in ("/Resources", "/Contents"):
        if key in page:
            clean_resources(page.raw_get(key), seen)


def clean_resources(obj: PdfObject | Any, seen: set[Any] | None = None) -> None:
    """Drop DROP_KEYS from every dictionary reachable from ``obj`` (in place)."""
    for found in _walk(obj, set() if seen is None else seen):
        for drop in DROP_KEYS.intersection(found.keys()):
            del found[NameObject(drop)]


def structure_problems(reader: PdfReader) -> list[tuple[str, str]]:
    """Return (ProblemKind, detail) for everything in the file a provided PDF must not carry."""
    problems: list[tuple[str, str]] = []
    trailer = reader.trailer
    info = trailer.get("/Info")
    if info is not None and len(info.get_object()) > 0:
        problems.append((ProblemKind.METADATA, "/Info"))
    root = cast(DictionaryObject, trailer["/Root"].get_object())
    for key in root.keys():
        if key in CATALOG_KEYS:
            continue
        if key == "/Metadata":
            problems.append((ProblemKind.METADATA, "catalog /Metadata"))
        elif key in ("/Names", "/AF"):
            problems.append((ProblemKind.EMBEDDED_FILES, f"catalog {key}"))
        elif key in ("/OpenAction", "/AA"):
            problems.append((ProblemKind.SCRIPTS, f"catalog {key}"))
        elif key == "/AcroForm":
            problems.append((ProblemKind.ANNOTATIONS, "catalog /AcroForm"))
    seen: set[Any] = set()
    for number, page in enumerate(reader.pages, 1):
        if "/Annots" in page:
            problems.append((ProblemKind.ANNOTATIONS, f"page {number} /Annots"))
        if "/Thumb" in page:
            problems.append((ProblemKind.METADATA, f"page {number} /Thumb"))
        for found in _walk(page, seen):
            keys = set(found.keys())
            if keys & {"/JS", "/JavaScript", "/AA", "/OpenAction"}:
                problems.append((ProblemKind.SCRIPTS, f"page {number}"))
            if "/Metadata" in keys or "/PieceInfo" in keys:
                problems.append((ProblemKind.METADATA, f"page {number}"))
            if found.get("/Type") in ("/EmbeddedFile", "/Filespec") or "/EF" in keys:
                problems.append((ProblemKind.EMBEDDED_FILES, f"page {number}"))
    reachable = {key[1] for key in seen}
    reachable.update(_ids(trailer))
    orphans = [num for num in _object_numbers(reader) if num not in reachable]
    if orphans:
        problems.append((ProblemKind.HIDDEN_OBJECTS, f"{len(orphans)}"))
    return problems


def _ids(trailer: DictionaryObject) -> set[int]:
    """Object numbers of the catalogue, the page tree nodes and the pages themselves."""
    found: set[int] = set()
    stack: list[Any] = [trailer.raw_get("/Root")]
    if "/Info" in trailer:
        stack.append(trailer.raw_get("/Info"))
    while stack:
        ref = stack.pop()
        if not isinstance(ref, IndirectObject) or ref.idnum in found:
            continue
        found.add(ref.idnum)
        obj = ref.get_object()
        if isinstance(obj, DictionaryObject):
            if "/Pages" in obj:
                stack.append(obj.raw_get("/Pages"))
            if "/Kids" in obj:
                stack.extend(cast(ArrayObject, obj["/Kids"]))
    return found


def _object_numbers(reader: PdfReader) -> Iterator[int]:
    """Every object number the file's cross-reference tables list (streams of objects too)."""
    numbers: set[int] = set()
    for table in reader.xref.values():
        numbers.update(table.keys())
    numbers.update(reader.xref_objStm.keys())
    for num in sorted(numbers):
        if num == 0:
            continue
        try:
            obj = reader.get_object(num)
        except Exception:  # noqa: BLE001 - unreadable here, maybe not for another reader
            obj = None
        if not (isinstance(obj, DictionaryObject) and obj.get("/Type") in ("/ObjStm", "/XRef")):
            yield num  # (object streams and cross-reference streams are containers)
