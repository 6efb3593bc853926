"""Benchmark: load the whole shared MIWG corpus with bpmncx vs bare lxml.

Prints bpmncx's load time as a ratio to ``lxml.etree.parse`` of the same
files in the same run (target: at most 2.0x). Each round times both, in
alternating order, in CPU time of this process (a busy machine disturbs that
far less than wall-clock time); ratios use the medians.

Two ways of loading are timed, both printed:

- keep: each side keeps what it loaded until the pass ends (a list of
  models, a list of trees), as when a whole corpus is loaded; this is the
  ratio held against the target;
- discard: each result is dropped at once, so lxml reuses the memory of the
  previous tree (its best case; bpmncx always drops its tree after reading).

Skips (exit 0, saying why) when the corpus is absent. ``--check`` exits 1
when the ratio is over the target.

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


def keep(job, files) -> float:
    gc.collect()
    start = time.process_time()
    loaded = [job(path) for path in files]
    elapsed = time.process_time() - start
    del loaded
    return elapsed


def discard(job, files) -> float:
    gc.collect()
    start = time.process_time()
    for path in files:
        job(path)
    return time.process_time() - start


def measure(how, files, rounds):
    jobs = {"lxml": etree.parse, "bpmncx": load_model}
    times = {name: [] for name in jobs}
    for round_number in range(rounds):
        order = list(jobs) if round_number % 2 == 0 else list(reversed(jobs))
        for name in order:
            times[name].append(how(jobs[name], files))
    return {name: statistics.median(values) for name, values in times.items()}


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
    discard(etree.parse, files)  # warm the OS file cache and both code paths
    discard(load_model, files)
    print(f"load: {len(files)} files, {size / 1e6:.1f} MB, {args.rounds} rounds, "
          "median CPU time per pass")
    ratios = {}
    for how in (keep, discard):
        medians = measure(how, files, args.rounds)
        ratios[how.__name__] = medians["bpmncx"] / medians["lxml"]
        print(f"  {how.__name__:8} lxml.etree.parse {medians['lxml'] * 1000:7.1f} ms   "
              f"bpmncx.load_model {medians['bpmncx'] * 1000:7.1f} ms   "
              f"ratio {ratios[how.__name__]:.2f}x")
    ratio = ratios["keep"]
    verdict = "ok" if ratio <= TARGET else "OVER TARGET"
    print(f"  ratio {ratio:.2f}x bare lxml (keep); target <= {TARGET:.1f}x: {verdict}")
    return 1 if args.check and ratio > TARGET else 0


if __name__ == "__main__":
    sys.exit(main())
