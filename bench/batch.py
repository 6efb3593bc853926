"""Benchmark: ``bpmncx batch`` throughput over the shared MIWG corpus, in models per second.

Runs the real command as a user does (a fresh Python process, wall clock from
start to exit, portfolio files included) for SVG only and for SVG plus PNG,
with one worker and with two (``-j 1``, ``-j 2``). Every setting is measured
in the same run, so the ratios it prints compare like with like: each worker
count against the first one (``-j 2`` vs ``-j 1``: the speed-up from a second
worker) and each format list against the first one (``svg,png`` vs ``svg``:
what the PNGs cost). Skips (exit 0) when the corpus is absent.

    python bench/batch.py [--rounds 1] [--formats svg svg,png] [--jobs 1 2]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("BPMNCX_CORPUS", ROOT.parent / "shared" / "corpus" / "miwg"))


def one_run(formats: str, workers: int) -> tuple:
    """(wall seconds, models done) of one ``bpmncx batch`` over the corpus."""
    out = tempfile.mkdtemp(prefix="bpmncx-bench-batch-")
    try:
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "bpmncx", "batch", str(CORPUS), "-o", out,
                               "-j", str(workers), "--format", formats, "--quiet"],
                              capture_output=True, text=True, cwd=ROOT)
        elapsed = time.perf_counter() - start
        if done.returncode not in (0, 3):
            print(done.stderr, file=sys.stderr)
            raise SystemExit(f"bpmncx batch failed (exit {done.returncode})")
        summary = json.loads((Path(out) / "summary.json").read_text(encoding="utf-8"))
        return elapsed, summary["models_done"]
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1, help="runs per setting (the median counts)")
    parser.add_argument("--formats", nargs="+", default=["svg", "svg,png"])
    parser.add_argument("--jobs", nargs="+", type=int, default=[1, 2])
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"skipped: shared corpus not found at {CORPUS}")
        return 0
    print(f"bpmncx batch over {CORPUS} ({os.cpu_count()} CPUs), wall clock per whole command")
    print(f"{'formats':<10} {'-j':>3} {'models':>7} {'seconds':>8} {'models/s':>9} {'ms/model':>9}")
    seconds = {}
    for formats in args.formats:
        for workers in args.jobs:
            runs = [one_run(formats, workers) for _ in range(args.rounds)]
            seconds[formats, workers] = statistics.median(r[0] for r in runs)
            models = runs[0][1]
            took = seconds[formats, workers]
            print(f"{formats:<10} {workers:>3} {models:>7} {took:>8.2f} {models / took:>9.1f} "
                  f"{1000 * took / models:>9.1f}", flush=True)
    print_ratios(seconds, args.formats, args.jobs)
    return 0


def print_ratios(seconds, formats_list, jobs):
    """Ratios between settings measured in this run (wall time of one over the other)."""
    first_jobs, first_formats = jobs[0], formats_list[0]
    for workers in jobs[1:]:
        speedups = ", ".join(
            f"{formats} {seconds[formats, first_jobs] / seconds[formats, workers]:.2f}x"
            for formats in formats_list)
        print(f"-j {workers} vs -j {first_jobs} (speed-up, same run): {speedups}")
    for formats in formats_list[1:]:
        costs = ", ".join(
            f"-j {workers} {seconds[formats, workers] / seconds[first_formats, workers]:.2f}x"
            for workers in jobs)
        print(f"{formats} vs {first_formats} (time taken, same run): {costs}")


if __name__ == "__main__":
    sys.exit(main())
