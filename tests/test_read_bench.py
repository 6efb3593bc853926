"""bench/load.py and bench/run.py work in a clone without the shared corpus."""

import os
import re
import shutil
import subprocess
import sys

from conftest import FIXTURES, ROOT


def run(*args, corpus):
    env = dict(os.environ, BPMNCX_CORPUS=str(corpus))
    return subprocess.run([sys.executable, *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120)


def test_load_bench_skips_without_corpus(tmp_path):
    result = run(ROOT / "bench" / "load.py", corpus=tmp_path / "absent")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"load: skipped, shared MIWG corpus not found at {tmp_path / 'absent'}\n"


def test_load_bench_prints_the_ratio_to_bare_lxml(tmp_path):
    folder = tmp_path / "corpus" / "some-tool"
    folder.mkdir(parents=True)
    for path in (FIXTURES / "miwg").glob("*.bpmn"):
        shutil.copy(path, folder)
    result = run(ROOT / "bench" / "load.py", "--rounds", "1", corpus=tmp_path / "corpus")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("load: 4 files, ")
    assert re.search(r"^  ratio \d+\.\d\dx bare lxml \(best-of: \d+\.\d\dx\); target <= 1\.5x: "
                     r"(ok|OVER TARGET)$", result.stdout, re.M), result.stdout


def test_run_driver_runs_every_bench_script(tmp_path):
    # a dry run: the scripts themselves take minutes (each has its own test)
    result = run(ROOT / "bench" / "run.py", "--dry-run", corpus=tmp_path / "absent")
    scripts = sorted(p.name for p in (ROOT / "bench").glob("*.py")
                     if p.name != "run.py" and not p.name.startswith("_"))
    assert [line[3:] for line in result.stdout.splitlines() if line.startswith("== ")] == scripts
    assert "scale.py --quick" in result.stdout.splitlines()
    assert result.returncode == 0, result.stdout + result.stderr
    full = run(ROOT / "bench" / "run.py", "--dry-run", "--full", corpus=tmp_path / "absent")
    assert "scale.py" in full.stdout.splitlines()
