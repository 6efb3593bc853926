"""Benchmark: ``bpmncx measure`` over a 1,000,000-event CSV log vs a bare ``csv.reader`` pass.

The log is simulated from the online-order sample (seeded, so every run
measures the same file; it is written once into a cache folder). Both sides
are whole commands in fresh processes, interpreter start included:

- bpmncx: ``bpmncx measure MODEL WORKBOOK --log LOG --format json`` (read the
  model and workbook, load the log into DuckDB, every measure, the findings,
  the JSON document);
- baseline: ``python -c "for row in csv.reader(open(LOG)): pass"``.

Both children keep compiled bytecode in the cache folder, as an installed
package has it (a warm-up run fills it, untimed).

Prints each side's wall-clock time (median of the rounds) and peak memory
(the child's maximum resident set), and the ratio bpmncx / baseline (target:
at most 1.0). ``--events 10000000`` measures a 10M-event log (target: peak
memory under 1 GB). ``--check`` exits 1 when a target is missed.

``--pm4py``: a second ratio against pm4py's performance-annotated directly-follows
graph over the same CSV (pandas read, ``format_dataframe``,
``discover_performance_dfg``), whole process too. pm4py is AGPL: it is never a
dependency of bpmncx; the benchmark installs it into a throwaway venv in its cache
folder (``pip install pm4py``) and skips the ratio, saying so, when that fails.

    python bench/measure.py [--events N] [--rounds 3] [--check] [--pm4py]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MODEL = ROOT / "samples" / "online-order" / "online-order.bpmn"
WORKBOOK = ROOT / "samples" / "online-order" / "online-order-cx.xlsx"
SMALL_LOG = ROOT / "samples" / "online-order" / "online-order.log.csv"  # for the warm-up
GATEWAY = "sid-4260CE86-CA96-FD78-3A56-9EE452A5D423"
PICK = "sid-7AA1CAA0-66DE-2E96-C867-119277832F1D"
CANCEL = "sid-23CC390C-9354-D0E3-CE1F-39485D23D1F3"

# Runs a command in this process and reports its peak memory, so each side's
# peak is its own (RUSAGE_CHILDREN would keep the largest child of all).
CHILD = """
import resource, runpy, sys
kind, args = sys.argv[1], sys.argv[2:]
try:
    if kind == "bpmncx":
        sys.argv = ["bpmncx"] + args
        from bpmncx.cli import main
        main()
    elif kind == "pm4py":
        import pandas, pm4py
        frame = pm4py.format_dataframe(pandas.read_csv(args[0]), case_id="case_id",
                                       activity_key="activity", timestamp_key="timestamp")
        pm4py.discover_performance_dfg(frame)
    else:
        import csv
        with open(args[0], newline="", encoding="utf-8") as handle:
            for row in csv.reader(handle):
                pass
except SystemExit as stop:
    if stop.code:
        raise
# VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec from the parent.
with open("/proc/self/status") as status:
    peak = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
sys.stderr.write("PEAK %d\\n" % peak)
"""


def make_log(events: int, folder: Path) -> Path:
    """A simulated CSV log with at least ``events`` events (cached by size)."""
    from bpmncx import load_model
    from bpmncx.eventlog import CustomerEvent, Scenario, simulate

    path = folder / f"online-order-{events}.csv"
    if path.exists():
        return path
    if events > 1_000_000:
        # Copies of the 1M log with their case ids made distinct: simulating 10M
        # events at once would take gigabytes of Python objects.
        base = make_log(1_000_000, folder)
        copies = -(-events // 1_000_000)
        print(f"writing {copies} copies of {base.name} into {path} ...", flush=True)
        temp = path.with_suffix(".tmp")
        with open(base, encoding="utf-8") as source, open(temp, "w", encoding="utf-8") as out:
            header = source.readline()
            body = source.readlines()
            out.write(header)
            for copy in range(copies):
                out.writelines(f"{line[:line.index(',')]}-{copy}{line[line.index(','):]}"
                               for line in body)
        temp.replace(path)
        return path
    model = load_model(str(MODEL))
    per_case = 28  # about: the full order path with a return, start and complete events
    scenario = Scenario(cases=max(1, events // per_case + 1), seed=1,
                        branches={GATEWAY: {PICK: 9, CANCEL: 1}},
                        customer_events=(CustomerEvent("Compare delivery options and costs"),))
    print(f"simulating about {events:,} events into {path} ...", flush=True)
    simulate(model, scenario).write_csv(path)
    return path


def pm4py_python(folder: Path):
    """The python of a throwaway venv holding pm4py (made once), or None."""
    venv = folder / "pm4py-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        made = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True)
        if made.returncode != 0:
            return None
    ok = subprocess.run([str(python), "-c", "import pm4py"], capture_output=True).returncode == 0
    if not ok:
        ok = subprocess.run([str(python), "-m", "pip", "install", "-q", "pm4py"],
                            capture_output=True).returncode == 0
    return python if ok else None


# Children keep compiled bytecode (in the cache folder, not the source tree) as an
# installed package does: with PYTHONDONTWRITEBYTECODE set (as in some sandboxes and
# CI images) every round would compile bpmncx's modules again, about 0.3 s that no
# user of an installed bpmncx pays. main() warms the cache once, untimed.
CHILD_ENV: dict = {}


def timed(kind: str, args, python: str = sys.executable) -> tuple:
    start = time.perf_counter()
    done = subprocess.run([str(python), "-c", CHILD, kind, *map(str, args)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          cwd=ROOT, env=CHILD_ENV or None)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{done.stderr}")
    peak = max(int(line.split()[1]) for line in done.stderr.splitlines()
               if line.startswith("PEAK "))
    return seconds, peak * 1024  # ru_maxrss is KiB on Linux


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--pm4py", action="store_true",
                        help="also time pm4py's performance DFG (installed in a throwaway venv)")
    parser.add_argument("--cache", default=os.path.join(tempfile.gettempdir(), "bpmncx-bench"))
    options = parser.parse_args(argv)
    folder = Path(options.cache)
    folder.mkdir(parents=True, exist_ok=True)
    log = make_log(options.events, folder)
    CHILD_ENV.update(os.environ, PYTHONPYCACHEPREFIX=str(folder / "pycache"))
    CHILD_ENV.pop("PYTHONDONTWRITEBYTECODE", None)
    timed("bpmncx", ["measure", MODEL, WORKBOOK, "--log", SMALL_LOG, "--format", "json"])
    lines = sum(1 for _ in open(log, "rb")) - 1
    print(f"log: {log} ({lines:,} events, {log.stat().st_size / 1e6:.0f} MB)")
    ours, theirs, pm = [], [], []
    python = pm4py_python(folder) if options.pm4py else None
    if options.pm4py and python is None:
        print("pm4py: 'pip install pm4py' failed in a throwaway venv here; no second ratio")
    for _ in range(options.rounds):
        if python is not None:
            pm.append(timed("pm4py", [log], python))
        # Alternate the sides so that a busy machine disturbs both alike.
        theirs.append(timed("csv", [log]))
        ours.append(timed("bpmncx", ["measure", MODEL, WORKBOOK, "--log", log,
                                     "--format", "json"]))
    ours_s = statistics.median(t for t, _ in ours)
    theirs_s = statistics.median(t for t, _ in theirs)
    ours_peak = max(p for _, p in ours)
    theirs_peak = max(p for _, p in theirs)
    ratio = ours_s / theirs_s
    print(f"bpmncx measure: {ours_s:.2f} s, peak {ours_peak / 2**20:.0f} MiB")
    print(f"csv.reader pass: {theirs_s:.2f} s, peak {theirs_peak / 2**20:.0f} MiB")
    print(f"ratio bpmncx / csv.reader: {ratio:.2f}x (target at most 1.0x; "
          f"best of rounds {min(t for t, _ in ours) / min(t for t, _ in theirs):.2f}x)")
    if pm:
        pm_s = statistics.median(t for t, _ in pm)
        print(f"pm4py performance DFG: {pm_s:.2f} s, peak {max(p for _, p in pm) / 2**20:.0f} MiB")
        print(f"ratio bpmncx / pm4py: {ours_s / pm_s:.2f}x")
    failed = ratio > 1.0
    if options.events >= 10_000_000:
        print(f"peak memory at {lines:,} events: {ours_peak / 2**30:.2f} GiB (target < 1 GB)")
        failed = failed or ours_peak >= 1e9
    return 1 if options.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
