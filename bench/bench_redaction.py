"""Redaction benchmark: apply + verify on a 100-page PDF with 200 marks (target ≤ 10 s).

    .venv/bin/python bench/bench_redaction.py                 # 100 pages, 200 marks
    .venv/bin/python bench/bench_redaction.py --pages 20      # a quick run

The document is generated: pages in the official 公文 layout (GB/T 9704: 22 lines of 28
characters; `--dense` for 1,400 characters a page) with CJK text, an ID number and a mobile number on
every page, as ``gongkai/responses/tests/documents.py`` builds them). Marks: the personal-data
scan's findings (one ID number and one mobile number per page = 200 marks on 100 pages).

Printed: the time to read the text and find the marks, ``apply`` (without and with the stamp),
``verify`` (with the original, as approval calls it), and the baseline measured in the same run:
a plain rewrite of the same PDF with the same libraries (PDFium opens it, pypdf copies every page
and writes the file), and the ratio to it; for reference also the bare rendering of every page
at the redaction resolution, the floor of any redactor that rasterises. Each figure is the best
of ``--repeat`` runs, wall time and this process's CPU time (the machine is shared).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings.test")


def best(repeat: int, run: Callable[[], Any]) -> tuple[float, float, Any]:
    """Best wall time and best CPU time (this process) of ``repeat`` runs, and the last result."""
    walls, cpus = [], []
    result = None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = run()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dense", action="store_true", help="1,400 characters a page")
    args = parser.parse_args()

    import django

    django.setup()
    import pypdfium2 as pdfium
    from pypdf import PdfReader, PdfWriter

    from gongkai.responses import redaction
    from gongkai.responses.stamps import stamp_text
    from gongkai.responses.tests.documents import text_pages

    pdf = text_pages(args.pages, dense=args.dense)

    def baseline() -> bytes:
        document = pdfium.PdfDocument(pdf)
        count = len(document)
        document.close()
        writer = PdfWriter()
        reader = PdfReader(io.BytesIO(pdf))
        for number in range(count):
            writer.add_page(reader.pages[number])
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    def render_only() -> None:
        document = pdfium.PdfDocument(pdf)
        for number in range(len(document)):
            page = document[number]
            page.render(scale=redaction.DEFAULT_DPI / 72, grayscale=True).to_pil()
            page.close()
        document.close()

    def find() -> list[redaction.Mark]:
        return redaction.search_personal_data(redaction.read_text(pdf), author="bench")

    t_base, c_base, _ = best(args.repeat, baseline)
    t_render, c_render, _ = best(args.repeat, render_only)
    t_find, c_find, marks = best(args.repeat, find)
    t_apply, c_apply, out = best(args.repeat, lambda: redaction.apply(pdf, marks))
    stamp = stamp_text("GK-2026-000123")
    redaction.apply(pdf, [], stamp=stamp)  # load WeasyPrint and fonts once, as a worker has
    t_stamped, c_stamped, stamped = best(
        args.repeat, lambda: redaction.apply(pdf, marks, stamp=stamp)
    )
    t_verify, c_verify, problems = best(
        args.repeat, lambda: redaction.verify(out, marks, original=pdf)
    )
    assert not problems, problems
    assert not redaction.verify(stamped, marks, original=pdf, stamp=stamp)
    pages_marked = len({m.page for m in marks})
    load = os.getloadavg()[0]
    print(
        f"document: {args.pages} pages, {len(pdf) / 1e6:.2f} MB; {len(marks)} marks on "
        f"{pages_marked} pages; load average {load:.1f} on {os.cpu_count()} cores"
    )
    print(f"output: {len(out) / 1e6:.2f} MB (stamped {len(stamped) / 1e6:.2f} MB)")
    rows = [
        ("baseline: open + rewrite (PDFium, pypdf)", t_base, c_base),
        ("reference: render every page (PDFium, 200 dpi)", t_render, c_render),
        ("read text + personal-data scan", t_find, c_find),
        ("apply", t_apply, c_apply),
        ("apply with stamp", t_stamped, c_stamped),
        ("verify (with original)", t_verify, c_verify),
        ("apply + verify", t_apply + t_verify, c_apply + c_verify),
        ("apply with stamp + verify", t_stamped + t_verify, c_stamped + c_verify),
    ]
    print(f"{'':<44} {'wall':>9} {'CPU':>9}   ratio (wall)")
    for name, wall, cpu in rows:
        print(f"{name:<44} {wall:7.2f} s {cpu:7.2f} s   ×{wall / t_base:6.1f} baseline")
    target = t_apply + t_verify
    print(f"target apply + verify ≤ 10 s: {'met' if target <= 10 else 'NOT met'} ({target:.2f} s)")


if __name__ == "__main__":
    main()
