"""Start-up: ``bpmncx --help`` and ``inspect`` load only what they use (no timing here;
bench/startup.py measures the speed)."""

import json
import subprocess
import sys

import click

from conftest import ROOT

SAMPLE = ROOT / "samples" / "insurance-claim" / "insurance-claim.bpmn"

# Run the CLI in a child and print the modules it had loaded when it exited.
PROBE = """
import atexit, json, sys
atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))
sys.argv = ["bpmncx"] + sys.argv[1:]
from bpmncx.cli import main
main()
"""

HEAVY = ("openpyxl", "duckdb", "graphviz", "PIL", "bpmncx.workbook", "bpmncx.eventlog",
         "bpmncx.render", "bpmncx.report.html", "bpmncx.report.xlsx", "bpmncx.report.findings",
         "bpmncx.pipeline", "bpmncx.analysis")


def loaded_by(*args):
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stderr.strip().splitlines()[-1])


def heavy_in(modules):
    return sorted(m for m in modules for heavy in HEAVY if m == heavy or m.startswith(heavy + "."))


def test_help_loads_no_command_module():
    modules = loaded_by("--help")
    assert heavy_in(modules) == []
    assert not [m for m in modules if m.startswith("bpmncx.cli.") and m != "bpmncx.cli.output"]


def test_inspect_loads_neither_workbook_nor_log_nor_renderer_nor_reports():
    modules = loaded_by("inspect", str(SAMPLE))
    assert "bpmncx.cli.inspect" in modules
    assert heavy_in(modules) == []


def test_the_help_table_says_what_each_command_says():
    from bpmncx.cli import COMMANDS, cli

    ctx = click.Context(cli)
    for name, (_module, summary) in COMMANDS.items():
        command = cli.get_command(ctx, name)
        assert command is not None and command.name == name
        for limit in (30, 45, 70, 200):
            assert click.Command(name, help=summary).get_short_help_str(limit) == command.get_short_help_str(limit), name


def test_unknown_command_is_a_usage_error():
    done = subprocess.run([sys.executable, "-m", "bpmncx", "no-such-command"], capture_output=True,
                          text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 2
    assert "No such command 'no-such-command'" in done.stderr
