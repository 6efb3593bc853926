from pathlib import Path

from click.testing import CliRunner

from bpmncx.cli import cli


def test_help_lists_inspect():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "inspect" in result.output


def test_ctrl_c_stops_any_command_with_exit_130_and_one_line(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    # A Graphviz (and PDF drawer) that never finishes keeps the command busy until the
    # signal comes; it says when it has started, so a slow start (a busy machine) is not a
    # failure. The model has no layout: Graphviz dot lays it out before anything is drawn.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    started = tmp_path / "graphviz-started"
    for name in ("dot", "neato", "rsvg-convert"):
        (bin_dir / name).write_text(f"#!/bin/sh\ntouch '{started}'\nexec sleep 60\n")
        (bin_dir / name).chmod(0o755)
    model = Path(__file__).resolve().parent / "fixtures" / "analysis" / "claim.bpmn"
    proc = subprocess.Popen([sys.executable, "-m", "bpmncx", "render", str(model), "-o",
                             str(tmp_path / "x.pdf")], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"})
    deadline = time.monotonic() + 120
    while not started.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started.exists(), proc.communicate()
    proc.send_signal(signal.SIGINT)
    out, errors = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert errors.strip() == "interrupted"  # after the blank line that closes "^C"
    assert "Traceback" not in out + errors
