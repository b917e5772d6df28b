"""年报评查 of 500 reports: the whole batch must finish in under 60 s on this machine.

Run: ``.venv/bin/python bench/bench_batch_review.py [--count N] [--seed S] [--workers W]``.
Writes N reports (a mix of clean and damaged layouts of both table shapes, agencies over two
years) into a temporary folder, reviews it as ``gongkai report check-batch`` does, and prints
the time, the reports per second and how many rows were flagged.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings.test")

import django  # noqa: E402

django.setup()

from gongkai.reports.batch import read_dir, review_files  # noqa: E402
from gongkai.reports.tests.damage import KINDS, damaged_text  # noqa: E402
from gongkai.reports.tests.renderers import random_report  # noqa: E402

LIMIT_SECONDS = 60.0


def write_corpus(folder: Path, count: int, seed: int) -> None:
    """Write ``count`` report texts: agencies 1..count/2, years 2023 and 2024."""
    rng = random.Random(seed)
    for i in range(count):
        report = random_report(rng, rng.choice([2021, 2021, 2019]))
        report["agency"]["name"] = f"测试市第{i // 2}局"
        report["year"] = 2023 + i % 2
        text, _ = damaged_text(report, rng, KINDS[i % len(KINDS)])
        published = f"发布日期：{report['year'] + 1}-0{rng.choice([1, 2])}-15\n"
        (folder / f"{i:04d}.txt").write_text(published + text, encoding="utf-8")


def main() -> None:
    """Generate, review, print the timing; exit 1 over the limit."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_corpus(folder, args.count, args.seed)
        start = time.perf_counter()
        rows = review_files(read_dir(folder), workers=args.workers)
        elapsed = time.perf_counter() - start
    flagged = sum(1 for r in rows if r.problems)
    print(f"{len(rows)} reports reviewed in {elapsed:.1f} s ({len(rows) / elapsed:.1f} reports/s)")
    print(f"rows with problems: {flagged}; late: {sum(1 for r in rows if r.late)}")
    print(f"limit {LIMIT_SECONDS:.0f} s: {'ok' if elapsed < LIMIT_SECONDS else 'OVER'}")
    sys.exit(0 if elapsed < LIMIT_SECONDS else 1)


if __name__ == "__main__":
    main()
