"""Benchmark: load the whole shared MIWG corpus with bpmncx vs bare lxml.

Prints bpmncx's load time as a ratio to ``lxml.etree.parse`` of the same
files in the same run (target: at most 2.0x).

One pass loads every file into a list (models, or lxml trees) and releases
the list, all inside the timed region: ``load_model`` parses, builds the
model and frees its tree, so the bare-lxml side pays for freeing its trees
too. Each round times both sides in alternating order, in CPU time of this
process (a busy machine disturbs that far less than wall-clock time). The
ratio uses the medians; the best-of ratio is printed beside it.

Skips (exit 0, saying why) when the corpus is absent. ``--check`` exits 1
when the ratio is over the target.

    python bench/load.py [--rounds 9] [--check]
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


def one_pass(job, files) -> float:
    """CPU seconds to load every file into a list and let the list go."""
    gc.collect()
    start = time.process_time()
    loaded = [job(path) for path in files]
    del loaded
    return time.process_time() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--check", action="store_true", help="exit 1 if over the target")
    args = parser.parse_args(argv)

    files = sorted(str(p) for p in CORPUS.glob("*/*.bpmn")) if CORPUS.is_dir() else []
    if not files:
        print(f"load: skipped, shared MIWG corpus not found at {CORPUS}")
        return 0
    size = sum(os.path.getsize(p) for p in files)
    jobs = {"lxml.etree.parse": etree.parse, "bpmncx.load_model": load_model}
    for job in jobs.values():  # warm the OS file cache and both code paths
        one_pass(job, files)
    times = {name: [] for name in jobs}
    for round_number in range(args.rounds):
        order = list(jobs) if round_number % 2 == 0 else list(reversed(jobs))
        for name in order:
            times[name].append(one_pass(jobs[name], files))
    print(f"load: {len(files)} files, {size / 1e6:.1f} MB, {args.rounds} rounds, "
          "CPU time per pass")
    for name, values in times.items():
        print(f"  {name:18} median {statistics.median(values) * 1000:7.1f} ms   "
              f"best {min(values) * 1000:7.1f} ms")
    ours, bare = times["bpmncx.load_model"], times["lxml.etree.parse"]
    ratio = statistics.median(ours) / statistics.median(bare)
    verdict = "ok" if ratio <= TARGET else "OVER TARGET"
    print(f"  ratio {ratio:.2f}x bare lxml (best-of: {min(ours) / min(bare):.2f}x); "
          f"target <= {TARGET:.1f}x: {verdict}")
    return 1 if args.check and ratio > TARGET else 0


if __name__ == "__main__":
    sys.exit(main())
