"""Benchmark: ``bpmncx batch --workbook`` with one workbook covering N models grows linearly.

Makes N copies of the sample models (every id made unique per copy, as in a
repository of distinct processes), one workbook over all of them from
``bpmncx template`` with a journey of 20 steps supported by elements of
copies spread over the repository (a journey does not grow with the number
of models in the repository), then times the real command (a fresh process, wall clock,
``--format svg``) for N = 50 and N = 100 in the same run and prints the ratio.
Linear is 2.0; the target is at most 2.3 (quadratic would be 4).

    python bench/batch_workbook.py [--sizes 50 100] [--rounds 3] [--jobs 2] [--check]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402

import bpmncx  # noqa: E402

SOURCES = sorted((ROOT / "samples").glob("*/*.bpmn"))
REFERENCE_ATTRIBUTES = ("id", "bpmnElement", "sourceRef", "targetRef", "attachedToRef",
                        "processRef", "default", "calledElement", "messageRef", "categoryValueRef",
                        "dataObjectRef", "dataStoreRef")
TARGET = 2.3
STEPS = 20


def unique_copy(source: Path, target: Path, tag: str) -> None:
    """``source`` with every id (and every reference to one) suffixed by ``tag``."""
    tree = etree.parse(str(source))
    ids = {el.get("id") for el in tree.iter() if isinstance(el.tag, str) and el.get("id")}
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        for name in REFERENCE_ATTRIBUTES:
            value = el.get(name)
            if value in ids:
                el.set(name, value + tag)
        if el.text and el.text.strip() in ids and len(el) == 0:  # flowNodeRef, incoming ...
            el.text = el.text.strip() + tag
    tree.write(str(target), xml_declaration=True, encoding="UTF-8")


def make_repository(folder: Path, count: int) -> Path:
    """``count`` models and one workbook over them; returns the workbook."""
    models = []
    for index in range(count):
        source = SOURCES[index % len(SOURCES)]
        path = folder / f"{source.stem}-{index:03d}.bpmn"
        unique_copy(source, path, f"_c{index:03d}")
        models.append(bpmncx.load_model(path))
    workbook = folder / "all-cx.xlsx"
    bpmncx.write_template(models, workbook, personas=["Customer"])
    book = openpyxl.load_workbook(workbook)
    sheet = book["Journey"]
    header = {cell.value: cell.column for cell in sheet[1] if cell.value}
    # one journey across the repository: step k is supported by a task of copy k * N / STEPS
    for step in range(STEPS):
        model = models[step * len(models) // STEPS]
        row = step + 2
        sheet.cell(row, header["Step"], step + 1)
        sheet.cell(row, header["Customer step"], f"Step in {model.name}")
        sheet.cell(row, header["Supported by"], model.activities()[step % 3].id)
    book.save(workbook)
    return workbook


def one_run(folder: Path, workbook: Path, jobs: int) -> float:
    out = Path(tempfile.mkdtemp(prefix="bpmncx-bench-out-"))
    try:
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "bpmncx", "batch", str(folder), "--workbook",
                               str(workbook), "-o", str(out), "-j", str(jobs), "--format", "svg",
                               "-q"], capture_output=True, text=True, cwd=ROOT)
        elapsed = time.perf_counter() - start
        if done.returncode not in (0, 3):
            raise SystemExit(f"bpmncx batch failed (exit {done.returncode}): {done.stderr[-500:]}")
        return elapsed
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs=2, type=int, default=[50, 100])
    parser.add_argument("--rounds", type=int, default=3, help="runs per size (the median counts)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--check", action="store_true", help=f"fail above {TARGET}x")
    args = parser.parse_args()
    small, large = args.sizes
    base = Path(tempfile.mkdtemp(prefix="bpmncx-bench-workbook-"))
    try:
        repos = {}
        for size in (small, large):
            folder = base / f"repo{size}"
            folder.mkdir()
            repos[size] = (folder, make_repository(folder, size))
        times = {size: [] for size in repos}
        for _ in range(args.rounds):  # interleaved: a busy moment hits both sizes alike
            for size, (folder, workbook) in repos.items():
                times[size].append(one_run(folder, workbook, args.jobs))
        print(f"bpmncx batch --workbook (one workbook, -j {args.jobs}, svg), median of "
              f"{args.rounds}, whole command")
        for size in (small, large):
            runs = times[size]
            print(f"  {size:>4} models: {statistics.median(runs):6.2f} s "
                  f"(min {min(runs):.2f}, max {max(runs):.2f})")
        ratio = statistics.median(times[large]) / statistics.median(times[small])
        print(f"  ratio {large}/{small}: {ratio:.2f} (linear {large / small:.1f}, target <= {TARGET})")
        if args.check and ratio > TARGET:
            return 1
        return 0
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
