"""年报评查 of 500 reports: the whole batch must finish in under 60 s on this machine.

Run: ``.venv/bin/python bench/bench_batch_review.py [--count N] [--seed S] [--workers W]``.
Writes N reports (a mix of clean and damaged layouts of both table shapes, agencies over two
years) into a temporary folder, reviews it as ``gongkai report check-batch`` does, and prints
the wall time, the CPU time of the review (this process and its worker processes), the load
average before and after, the reports per second and how many rows were flagged. Baseline, in
the same run: reading the same files into documents (no parsing), in one process.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings.test")

import django  # noqa: E402

django.setup()

from gongkai.reports.batch import read_dir, review_files  # noqa: E402
from gongkai.reports.parsing.sources import read_document  # noqa: E402
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


def _cpu() -> float:
    """CPU seconds of this process and of its finished worker processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


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
        items = read_dir(folder)
        load_before = os.getloadavg()[0]
        start, cpu = time.perf_counter(), _cpu()
        for name, data in items:
            read_document(data, name)
        base, base_cpu = time.perf_counter() - start, _cpu() - cpu
        start, cpu = time.perf_counter(), _cpu()
        rows = review_files(items, workers=args.workers)
        elapsed, cpu = time.perf_counter() - start, _cpu() - cpu
        load_after = os.getloadavg()[0]
    flagged = sum(1 for r in rows if r.problems)
    print(f"load average {load_before:.1f} before, {load_after:.1f} after")
    print(f"baseline (read the files, one process): {base:.2f} s wall, {base_cpu:.2f} s CPU")
    print(
        f"{len(rows)} reports reviewed in {elapsed:.1f} s wall, {cpu:.1f} s CPU "
        f"({len(rows) / elapsed:.1f} reports/s; {elapsed / base:.0f}× the baseline wall, "
        f"{cpu / max(base_cpu, 1e-9):.0f}× its CPU)"
    )
    print(f"rows with problems: {flagged}; late: {sum(1 for r in rows if r.late)}")
    print(f"limit {LIMIT_SECONDS:.0f} s: {'ok' if elapsed < LIMIT_SECONDS else 'OVER'}")
    sys.exit(0 if elapsed < LIMIT_SECONDS else 1)


if __name__ == "__main__":
    main()
