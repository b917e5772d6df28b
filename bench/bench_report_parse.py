"""Parsing throughput: generate 1,000 reports (mixed formats and layouts) and parse them all.

Run: ``.venv/bin/python bench/bench_report_parse.py [--count N] [--seed S]``. Prints reports per
second overall and per layout, and checks that every report parses back to its figures.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings.test")

from gongkai.reports.parsing import parse_report  # noqa: E402
from gongkai.reports.tests.renderers import figures, random_report, random_style, render  # noqa: E402

FILENAMES = {"html": "r.html", "docx": "r.docx", "pdf": "r.pdf"}


def main() -> None:
    """Generate the corpus, time the parse of each report, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    corpus = []
    started = time.perf_counter()
    for _ in range(args.count):
        fmt = rng.choice([2021, 2021, 2019, 2008])
        report = random_report(rng, fmt, rng.choice([2021, 2021, 2019]) if fmt == 2021 else None)
        style = random_style(rng)
        corpus.append((report, style, render(report, style)))
    generated = time.perf_counter() - started
    per_layout: dict[str, list[float]] = defaultdict(list)
    wrong = 0
    total_bytes = 0
    started = time.perf_counter()
    for report, style, data in corpus:
        t0 = time.perf_counter()
        result = parse_report(data, FILENAMES.get(style.layout, "r.txt"))
        per_layout[style.layout].append(time.perf_counter() - t0)
        total_bytes += len(data if isinstance(data, bytes) else data.encode())
        if figures(result.to_json()) != figures(report):
            wrong += 1
    elapsed = time.perf_counter() - started
    print(f"generated {args.count} reports in {generated:.1f} s ({total_bytes / 1e6:.1f} MB)")
    print(f"parsed {args.count} reports in {elapsed:.2f} s: {args.count / elapsed:.1f} reports/s")
    for layout, times in sorted(per_layout.items()):
        print(
            f"  {layout:15s} n={len(times):4d}  {len(times) / sum(times):7.1f} reports/s  "
            f"mean {1000 * sum(times) / len(times):6.1f} ms"
        )
    print(f"figures differing from the source: {wrong}")
    if wrong:
        sys.exit(1)


if __name__ == "__main__":
    main()
