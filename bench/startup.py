"""Benchmark: start-up of ``bpmncx --help`` and ``bpmncx inspect FILE`` vs bare Python.

The baseline is the same interpreter running ``import click, lxml.etree`` (what
any click command reading XML must load). Each command is a fresh process; its
cost is the CPU time (user + system) of the child, read from
``resource.getrusage(RUSAGE_CHILDREN)`` around the run, which a busy machine
disturbs far less than wall-clock time. Runs are interleaved (baseline, --help,
inspect, baseline, ...) so a busy moment hits every side alike; the ratio uses
the medians. Target: at most 1.5x the baseline; ``--check`` exits 1 above it.

The children run with bytecode caching on (``PYTHONDONTWRITEBYTECODE`` removed
from their environment; the untimed first run writes the caches), as an
installed package runs: without it every run compiles bpmncx's sources again.

    python bench/startup.py [--rounds 15] [--check]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "insurance-claim" / "insurance-claim.bpmn"
TARGET = 1.5
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

COMMANDS = {
    "bare python (click, lxml)": [sys.executable, "-c", "import click, lxml.etree"],
    "bpmncx --help": [sys.executable, "-m", "bpmncx", "--help"],
    "bpmncx inspect FILE": [sys.executable, "-m", "bpmncx", "inspect", str(SAMPLE)],
}


def child_cpu(command) -> float:
    """CPU seconds (user + system) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT,
                          env=ENV)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode(errors='replace')}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--check", action="store_true", help="exit 1 if over the target")
    args = parser.parse_args(argv)
    for command in COMMANDS.values():  # warm the OS file cache and the bytecode cache
        child_cpu(command)
    times = {name: [] for name in COMMANDS}
    for _ in range(args.rounds):
        for name, command in COMMANDS.items():
            times[name].append(child_cpu(command))
    print(f"startup: {args.rounds} rounds, CPU time (user + system) per process, median")
    bare = statistics.median(times["bare python (click, lxml)"])
    over = False
    for name, values in times.items():
        median = statistics.median(values)
        line = f"  {name:26} {median * 1000:6.0f} ms"
        if not name.startswith("bare"):
            ratio = median / bare
            over = over or ratio > TARGET
            line += f"   ratio {ratio:.2f}x ({'ok' if ratio <= TARGET else 'OVER TARGET'})"
        print(line)
    print(f"  target <= {TARGET:.1f}x bare python")
    return 1 if args.check and over else 0


if __name__ == "__main__":
    sys.exit(main())
