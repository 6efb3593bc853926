"""Benchmark: draw the whole shared MIWG corpus to SVG, in one command.

The competitor users have for headless BPMN export is bpmn-js in a headless
browser: 9-12 s for these 114 files on the project machine (28-43 ms median
per diagram in a warm page, plus 1-2 s of browser start-up; see
shared/tools/bpmnjs/README.md). This script times

* the real command, ``bpmncx render FILE... -o DIR`` (one Python process, one
  Graphviz process), wall clock from start to exit: compare with bpmn-js's
  whole run;
* inside one process, the per-diagram cost: reading the BPMN, building the
  Graphviz scene and finishing the SVG per file, plus the one Graphviz run
  shared out evenly: compare with bpmn-js's in-page milliseconds.

Skips (exit 0) when the corpus is absent. ``--check`` exits 1 unless the whole
run beats 9 s and the median per diagram beats 28 ms.

    python bench/render.py [--rounds 3] [--check]
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bpmncx import load_model  # noqa: E402
from bpmncx.render import scene_for  # noqa: E402
from bpmncx.render.draw import _run, neato  # noqa: E402
from bpmncx.render.svgpost import _Pictures, finish_svg  # noqa: E402

CORPUS = Path(os.environ.get("BPMNCX_CORPUS", ROOT.parent / "shared" / "corpus" / "miwg"))
BPMNJS_WHOLE_RUN_S = (9.0, 12.0)
BPMNJS_PER_DIAGRAM_MS = (28.0, 43.0)


def whole_command(files, rounds):
    """Wall seconds of `bpmncx render FILES -o DIR` as a user runs it."""
    times = []
    for _ in range(rounds):
        out = tempfile.mkdtemp(prefix="bpmncx-bench-")
        try:
            start = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "bpmncx", "render", *map(str, files),
                                   "-o", out], capture_output=True, text=True)
            elapsed = time.perf_counter() - start
            if done.returncode != 0:
                print(done.stderr, file=sys.stderr)
                raise SystemExit("bpmncx render failed")
            written = len(list(Path(out).glob("*.svg")))
            if written != len(files):
                raise SystemExit(f"bpmncx render wrote {written} of {len(files)} SVGs")
        finally:
            shutil.rmtree(out, ignore_errors=True)
        times.append(elapsed)
    return times


def per_diagram(files):
    """Milliseconds per file: read + scene + finish, plus its share of the Graphviz run."""
    python_ms = []
    scenes, models = [], []
    for path in files:
        start = time.perf_counter()
        model = load_model(path)
        scene = scene_for(model)
        python_ms.append((time.perf_counter() - start) * 1000)
        scenes.append(scene)
        models.append(model)
    stdin = "".join(s.svg_dot for s in scenes).encode()
    start = time.perf_counter()
    raw = _run([neato(), "-n2", "-Tsvg"], stdin, scenes)
    graphviz_ms = (time.perf_counter() - start) * 1000
    images = {}
    for scene in scenes:
        images.update(scene.images)
    parts = [b"<?xml" + chunk for chunk in raw.split(b"<?xml")[1:]]
    pictures = _Pictures(images)
    for index, (part, scene) in enumerate(zip(parts, scenes)):
        start = time.perf_counter()
        finish_svg(part, scene, pictures)
        python_ms[index] += (time.perf_counter() - start) * 1000
    share = graphviz_ms / len(files)
    return [ms + share for ms in python_ms], graphviz_ms


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    files = sorted(CORPUS.glob("*/*.bpmn")) if CORPUS.is_dir() else []
    if not files:
        print(f"skipped: no corpus at {CORPUS}")
        return 0
    whole = whole_command(files, args.rounds)
    rounds = [per_diagram(files) for _ in range(args.rounds)]
    per = [statistics.median(ms[i] for ms, _ in rounds) for i in range(len(files))]
    graphviz = statistics.median(g for _, g in rounds)
    best = min(whole)
    median = statistics.median(per)
    print(f"render {len(files)} files to SVG, whole command `bpmncx render FILE... -o DIR`:")
    print(f"  wall {best:.2f} s best of {args.rounds} (runs: "
          f"{', '.join(f'{t:.2f}' for t in whole)})  |  bpmn-js headless: "
          f"{BPMNJS_WHOLE_RUN_S[0]:.0f}-{BPMNJS_WHOLE_RUN_S[1]:.0f} s")
    print(f"  {best / len(files) * 1000:.1f} ms per file on the whole run")
    print("per diagram, in process (read + scene + finish + share of one Graphviz run):")
    print(f"  median {median:.1f} ms, mean {statistics.mean(per):.1f} ms, "
          f"max {max(per):.1f} ms ({files[per.index(max(per))].name})  |  bpmn-js in page: "
          f"{BPMNJS_PER_DIAGRAM_MS[0]:.0f}-{BPMNJS_PER_DIAGRAM_MS[1]:.0f} ms median")
    print(f"  one Graphviz process for all {len(files)}: {graphviz:.0f} ms "
          f"({graphviz / len(files):.1f} ms per diagram)")
    if args.check and (best >= BPMNJS_WHOLE_RUN_S[0] or median >= BPMNJS_PER_DIAGRAM_MS[0]):
        print("FAILED: not faster than bpmn-js")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
