"""Annual report exports for one agency: HTML, PDF and DOCX (issue: exports where it still hurts).

    .venv/bin/python bench/bench_exports.py [--runs 5] [--seed 2025]

One random valid 2021-format report with its five-year trend and a drafted narrative (the
text the office starts from), built as the office's download builds it. For each format:
the first export in a fresh process (templates, fonts and chart machinery loaded on the
way), the median of ``--runs`` exports of the same report afterwards (what a repeated download
costs: served from the export cache), and the median for a *different* report each time,
never exported before in any format (its charts are drawn too; only the process's warm state
is reused). The baseline, measured in the
same run, is the same engine on a one-paragraph document: ``render_to_string`` of a minimal
template (HTML), WeasyPrint with the same CJK font (PDF), python-docx (DOCX) — the floor each
format pays whatever the report.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings.test")


def _report(seed: int) -> Any:
    from gongkai.reports.builders.document import build_document
    from gongkai.reports.narrative import draft
    from gongkai.reports.tests.renderers import random_report

    rng = random.Random(seed)
    data = random_report(rng, 2021)
    data["agency"] = {"name": "基准市人力资源和社会保障局", "code": None}
    data["year"] = 2025
    # the figures ``compute_report`` stores: the monthly intake and the five-year trend with
    # the keys ``build_charts`` reads, so all four charts are drawn with real values
    data["figures"] = {
        "monthly_intake": [rng.randint(0, 90) for _ in range(12)],
        "trend": [
            {"year": y, "new": rng.randint(50, 900), "handled": rng.randint(50, 900)}
            for y in range(2021, 2026)
        ],
    }
    return build_document(data, draft(data))


def _baseline(fmt: str) -> float:
    import io

    from django.template import Context, Template

    t0 = time.perf_counter()
    if fmt == "html":
        Template("<html><body><p>{{ text }}</p></body></html>").render(
            Context({"text": "政府信息公开工作年度报告"})
        )
    elif fmt == "pdf":
        from weasyprint import HTML

        HTML(
            string="<html><body style=\"font-family: 'Noto Serif CJK SC'\">"
            "<p>政府信息公开工作年度报告</p></body></html>"
        ).write_pdf()
    else:
        import docx

        document = docx.Document()
        document.add_paragraph("政府信息公开工作年度报告")
        document.save(io.BytesIO())
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=2025)
    args = ap.parse_args()
    import django

    django.setup()
    from gongkai.reports.builders import exports

    load = [os.getloadavg()[0]]
    doc = _report(args.seed)
    rows = []
    for n, fmt in enumerate(("html", "pdf", "docx")):
        t0, c0 = time.perf_counter(), time.process_time()
        size = len(exports.render(doc, fmt))
        first, first_cpu = time.perf_counter() - t0, time.process_time() - c0
        same = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            exports.render(doc, fmt)
            same.append(time.perf_counter() - t0)
        other, other_cpu = [], []
        for i in range(args.runs):
            d = _report(args.seed + 1000 * (n + 1) + i)  # charts not drawn before
            t0, c0 = time.perf_counter(), time.process_time()
            exports.render(d, fmt)
            other.append(time.perf_counter() - t0)
            other_cpu.append(time.process_time() - c0)
        _baseline(fmt)  # once to load the engine, then timed
        base = statistics.median(_baseline(fmt) for _ in range(args.runs))
        rows.append(
            (
                fmt,
                size,
                first,
                first_cpu,
                statistics.median(same),
                statistics.median(other),
                statistics.median(other_cpu),
                base,
            )
        )
        load.append(os.getloadavg()[0])
    from gongkai.reports.builders import pdffonts

    built = pdffonts.font_face_css(pdffonts.font_dir()).count("@font-face")
    print(f"load average during the run: {min(load):.2f}–{max(load):.2f}")
    print(
        f"PDF faces cut down in advance (gongkai report pdf-fonts): {built} of {len(pdffonts.FACES)}"
    )
    print("wall = elapsed seconds; cpu = this process's CPU seconds (less sensitive to load)")
    print(
        f"{'format':<6} {'bytes':>9} {'first wall':>10} {'first cpu':>9} {'same report':>11} "
        f"{'another wall':>12} {'another cpu':>11} {'bare engine':>11} {'ratio':>6}"
    )
    for fmt, size, first, first_cpu, same, other, other_cpu, base in rows:
        ratio = f"{other / base:6.1f}" if base >= 0.001 else f"{'—':>6}"  # no floor to compare
        print(
            f"{fmt:<6} {size:>9,} {first:10.2f} {first_cpu:9.2f} {same:11.3f} "
            f"{other:12.3f} {other_cpu:11.3f} {base:11.3f} {ratio}"
        )


if __name__ == "__main__":
    main()
