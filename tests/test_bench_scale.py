"""bench/scale.py and bench/startup.py run and print their figures (no timing is judged
here: speed is judged by `make bench` alone)."""

import re
import subprocess
import sys

from conftest import ROOT


def run(*args):
    return subprocess.run([sys.executable, *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


def test_scale_bench_prints_time_memory_and_exponent_per_command():
    done = run(ROOT / "bench" / "scale.py", "--sizes", "20", "60", "--commands",
               "inspect,validate,annotate")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("scale: CPU seconds / peak MB per command at 20, 60 tasks")
    for name in ("inspect", "validate", "annotate"):
        line = next(line for line in lines if line.strip().startswith(name))
        assert re.search(r"\d+\.\d\d s +\d+ MB .* exponent -?\d+\.\d\d", line), line


def test_scale_bench_synthetic_model_reads_cleanly():
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import scale
    finally:
        sys.path.pop(0)
    from bpmncx.bpmn import model_from_bytes

    model = model_from_bytes(scale.model_xml(100).encode(), "scale-100.bpmn")
    assert model.warnings == []
    assert len(model.activities()) == 100 and len(model.lanes) == scale.LANES
    assert len(model.connections_of_kind("messageFlow")) == 10
    assert model.has_di and len(model.main_plane.shapes) == 2 + scale.LANES + 102


def test_startup_bench_prints_the_ratios_to_bare_python():
    done = run(ROOT / "bench" / "startup.py", "--rounds", "1")
    assert done.returncode == 0, done.stdout + done.stderr
    for name in ("bpmncx --help", "bpmncx inspect FILE"):
        assert re.search(rf"^  {re.escape(name)} +\d+ ms   ratio \d+\.\d\dx \((ok|OVER TARGET)\)$",
                         done.stdout, re.M), done.stdout
