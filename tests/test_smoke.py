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

    # A PDF drawer that never finishes keeps the command busy until the signal comes (a
    # named pipe used to, but pipes are now refused before they are opened).
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "rsvg-convert").write_text("#!/bin/sh\nexec sleep 60\n")
    (bin_dir / "rsvg-convert").chmod(0o755)
    model = Path(__file__).resolve().parent.parent / "samples" / "online-order" / "online-order.bpmn"
    proc = subprocess.Popen([sys.executable, "-m", "bpmncx", "render", str(model), "-o",
                             str(tmp_path / "x.pdf")], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"})
    time.sleep(2)
    proc.send_signal(signal.SIGINT)
    out, errors = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert errors.strip() == "interrupted"  # after the blank line that closes "^C"
    assert "Traceback" not in out + errors
