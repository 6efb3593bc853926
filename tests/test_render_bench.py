"""bench/render.py measures bpmn-js in the same run (bench/js/bpmnjs-render.mjs; for PNG
the shared harness) and prints the ratios; without node, Chromium or tests/js/node_modules it says why the
baseline was skipped and prints bpmncx alone. These tests check that the benchmark runs
and says what it measured; how fast is judged by `make bench` alone (never a timed test:
a busy machine would fail it)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import FIXTURES, ROOT

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
JS_DIR = ROOT / "tests" / "js"
BENCH = ROOT / "bench" / "render.py"
SCRIPT = ROOT / "bench" / "js" / "bpmnjs-render.mjs"


def needs_bpmnjs():
    if shutil.which("node") is None:
        pytest.skip("node is not installed (scripts/bootstrap.sh installs nodejs)")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"no Chromium at {CHROMIUM} (Debian package chromium)")
    for package in ("bpmn-js", "playwright-core"):
        if not (JS_DIR / "node_modules" / package).is_dir():
            pytest.skip(f"tests/js/node_modules/{package} missing: run scripts/bootstrap.sh")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A corpus laid out like the shared one: tool folders of BPMN files."""
    root = tmp_path_factory.mktemp("corpus")
    folder = root / "some-tool"
    folder.mkdir()
    for path in sorted((FIXTURES / "miwg").glob("*.bpmn"))[:2]:
        shutil.copy(path, folder)
    return root


def bench(*args, corpus, **env):
    return subprocess.run([sys.executable, str(BENCH), "--rounds", "1", *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=300,
                          env=dict(os.environ, BPMNCX_CORPUS=str(corpus), **env))


def test_without_node_modules_the_baseline_is_skipped_with_the_reason(corpus, tmp_path):
    result = bench(corpus=corpus, BPMNCX_JS_DIR=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[1] == (f"bpmn-js baseline: skipped ({tmp_path}/node_modules/playwright-core/"
                        f"package.json missing (run: npm ci --prefix {tmp_path}))")
    assert re.search(r"bpmncx whole command: \d+\.\d\d s best .*quoted, not measured here: "
                     r"bpmn-js 9-12 s", result.stdout)
    assert re.search(r"bpmncx per diagram: median \d+\.\d ms", result.stdout)


def test_the_baseline_is_measured_and_compared(corpus):
    needs_bpmnjs()
    result = bench(corpus=corpus)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "skipped" not in result.stdout, result.stdout
    assert re.search(r"^whole command, best \(s\) +\d+\.\d\d +\d+\.\d\d +\d+\.\d\dx$",
                     result.stdout, re.M), result.stdout
    assert re.search(r"^per diagram, median \(ms\) +\d+\.\d +\d+\.\d +\d+\.\d\dx$",
                     result.stdout, re.M), result.stdout
    assert re.search(r"bpmncx faster on \d of \d$", result.stdout, re.M), result.stdout
    # the targets, and the PNG side (its baseline needs the shared harness)
    assert re.search(r"^targets \(issue 15, .*SVG whole command \d+\.\d\dx", result.stdout,
                     re.M), result.stdout
    assert re.search(r"^PNG, 2 files at --scale 1: bpmncx \d+\.\d\d s", result.stdout,
                     re.M), result.stdout
    assert "bpmn-js 18.31.1 in headless Chromium" in result.stdout


def test_bpmnjs_script_writes_svgs_and_reports_a_file_it_cannot_draw(tmp_path):
    needs_bpmnjs()
    good = FIXTURES / "miwg" / "reference--C.7.0.bpmn"
    broken = tmp_path / "broken.bpmn"
    broken.write_text("<definitions><process id='p'>", encoding="utf-8")
    out = tmp_path / "out"
    done = subprocess.run(["node", str(SCRIPT), "-o", str(out), str(good), str(broken)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert (report["ok"], report["failed"]) == (1, 1)
    drawn, failed = report["files"]
    assert drawn["ok"] and drawn["in_page_ms"] > 0
    assert not failed["ok"] and failed["error"]
    assert sorted(p.name for p in out.iterdir()) == ["reference--C.7.0.svg"]
    assert (out / "reference--C.7.0.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert report["wall_ms"] >= report["startup_ms"]["total"] + report["files_phase_ms"]
    assert report["blocked_requests"] == 0
