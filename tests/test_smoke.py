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

    fifo = tmp_path / "never-written.bpmn"
    os.mkfifo(fifo)  # opening it blocks until the signal comes
    proc = subprocess.Popen([sys.executable, "-m", "bpmncx", "inspect", str(fifo)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2)
    proc.send_signal(signal.SIGINT)
    out, errors = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert errors.strip() == "interrupted"  # after the blank line that closes "^C"
    assert "Traceback" not in out + errors
