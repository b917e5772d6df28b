"""Recovery on damaged exports: ≥ 1,000 reports whose tables were broken the ways real texts are.

Run: ``.venv/bin/python bench/bench_damaged_reports.py [--count N] [--seed S]``. Each report is a
random consistent report (both table shapes) rendered from the platform's table layout and
damaged (:mod:`gongkai.reports.tests.damage`): ``|`` fragments without labels, whitespace rows
with numbers before labels, or every cell run together. Prints the share of cells recovered
where separators survive and where cells run together, ambiguous and missing cells, and the
count of wrong values reported as read or derived (targets: ≥ 99 %, ≥ 95 %, 0), then the wall
and CPU time (generation, damage and parsing) with the load average.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings.test")

from gongkai.reports.parsing import parse_report  # noqa: E402
from gongkai.reports.tests.damage import KINDS, SEPARATED, Score, damaged_text, score  # noqa: E402
from gongkai.reports.tests.renderers import random_report  # noqa: E402


def run(count: int, seed: int) -> dict[str, Score]:
    """Generate, damage and parse ``count`` reports; return the scores per damage kind."""
    rng = random.Random(seed)
    scores = {k: Score() for k in KINDS}
    for i in range(count):
        report = random_report(rng, rng.choice([2021, 2021, 2019]))
        kind = KINDS[i % len(KINDS)]
        text, _ = damaged_text(report, rng, kind)
        scores[kind].add(score(report, parse_report(text).cells))
    return scores


def main() -> None:
    """Print recovery per class and the wrong certain values."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    start, cpu = time.perf_counter(), time.process_time()
    scores = run(args.count, args.seed)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    load_after = os.getloadavg()[0]
    separated, run_together = Score(), Score()
    for kind, s in scores.items():
        (separated if kind in SEPARATED else run_together).add(s)
        print(
            f"{kind:8} cells {s.total:7d} recovered {100 * s.recovered / max(s.total, 1):6.2f} %"
            f"  ambiguous {s.ambiguous}  missing {s.missing}  wrong {s.wrong}"
        )
    for name, s in (("separated", separated), ("run-together", run_together)):
        print(
            f"{name:13} recovered {100 * s.recovered / max(s.total, 1):6.2f} % of {s.total} cells"
        )
    wrong = separated.wrong + run_together.wrong
    print(f"wrong values reported as read or derived: {wrong}")
    print(
        f"{args.count} reports in {elapsed:.1f} s wall, {cpu:.1f} s CPU "
        f"({args.count / elapsed:.1f} reports/s); load average {load_before:.1f} before, "
        f"{load_after:.1f} after"
    )
    ok = (
        separated.recovered >= 0.99 * separated.total
        and run_together.recovered >= 0.95 * run_together.total
        and wrong == 0
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
