"""Benchmark: load the whole shared MIWG corpus with bpmncx vs bare lxml.

Prints bpmncx's load time as a ratio to ``lxml.etree.parse`` of the same
files in the same run (target: at most 2.0x). Both are timed in alternating
order each round, in CPU time of this process; the ratio uses the medians. Skips (exit 0) when the corpus
is absent. ``--check`` exits 1 when the ratio is over the target.

    python bench/load.py [--rounds 7] [--check]
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402

from bpmncx import load_model  # noqa: E402

CORPUS = Path(os.environ.get("BPMNCX_CORPUS", ROOT.parent / "shared" / "corpus" / "miwg"))
TARGET = 2.0


def timed(job, files) -> float:
    """CPU seconds of this process for one pass (other processes on a busy
    machine then disturb the ratio much less than with wall-clock time)."""
    gc.collect()
    start = time.process_time()
    for path in files:
        job(path)
    return time.process_time() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--check", action="store_true", help="exit 1 if over the target")
    args = parser.parse_args(argv)

    files = sorted(str(p) for p in CORPUS.glob("*/*.bpmn")) if CORPUS.is_dir() else []
    if not files:
        print(f"load: skipped, shared MIWG corpus not found at {CORPUS}")
        return 0
    size = sum(os.path.getsize(p) for p in files)
    jobs = {"lxml": etree.parse, "bpmncx": load_model}
    timed(etree.parse, files)  # warm the OS file cache and imports for both
    timed(load_model, files)
    times = {name: [] for name in jobs}
    for round_number in range(args.rounds):
        order = list(jobs) if round_number % 2 == 0 else list(reversed(jobs))
        for name in order:
            times[name].append(timed(jobs[name], files))
    lxml_median = statistics.median(times["lxml"])
    ours_median = statistics.median(times["bpmncx"])
    ratio = ours_median / lxml_median
    best_ratio = min(times["bpmncx"]) / min(times["lxml"])
    print(f"load: {len(files)} files, {size / 1e6:.1f} MB, {args.rounds} rounds")
    print(f"  lxml.etree.parse   median {lxml_median * 1000:7.1f} ms   "
          f"best {min(times['lxml']) * 1000:7.1f} ms")
    print(f"  bpmncx.load_model  median {ours_median * 1000:7.1f} ms   "
          f"best {min(times['bpmncx']) * 1000:7.1f} ms")
    verdict = "ok" if ratio <= TARGET else "OVER TARGET"
    print(f"  ratio {ratio:.2f}x bare lxml (best-of: {best_ratio:.2f}x); "
          f"target <= {TARGET:.1f}x: {verdict}")
    return 1 if args.check and ratio > TARGET else 0


if __name__ == "__main__":
    sys.exit(main())
