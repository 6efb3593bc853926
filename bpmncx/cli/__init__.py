"""The ``bpmncx`` command line: thin wrappers over the Python API.

Each command lives in its own module here and only parses options, calls one
library function and prints. Exit codes: 0 ok, 1 an input could not be read
(or a model in a batch failed), 2 usage error, 3 a ``--fail-on`` gate tripped.
"""

from __future__ import annotations

import os
import sys
from importlib import import_module

import click

from ..version import __version__
from ..errors import BpmncxError
from .output import err, print_problems


# name -> (module, one-line help). ``bpmncx --help`` lists the commands from this
# table, and a command's module (with what it imports: openpyxl, DuckDB, the
# renderer...) is imported only when that command runs, so start-up stays near
# bare Python. tests/test_startup.py checks the help lines against the commands.
COMMANDS = {
    "annotate": ("annotate", "Draw each MODEL in its own layout with the customer journey of "
                             "WORKBOOK over it."),
    "batch": ("batch", "Draw and report on every BPMN model under INPUT... (files, folders, globs)."),
    "blueprint": ("blueprint", "Draw the service blueprint of the journey in WORKBOOK over the "
                               "BPMN MODELs."),
    "diff": ("diff", "Show what changed between two versions of a model and its workbook: "
                     "elements and flows, journey steps and emotions, and what that does to the "
                     "customer (findings new and resolved, coverage and emotion before and after)."),
    "gaps": ("gaps", "Show the gaps between the journey in WORKBOOK and the BPMN MODELs."),
    "inspect": ("inspect", "Show what BPMN files contain: pools, lanes, element counts, layout, "
                           "warnings."),
    "measure": ("measure", "Measure the event log --log against the MODELs and the journey in "
                           "WORKBOOK."),
    "render": ("render", "Draw MODELS as they were laid out in the modeller (SVG, PNG or PDF)."),
    "strip": ("strip", "Remove bpmncx's colours, notes and data from an annotated BPMN file."),
    "template": ("template", "Write the Excel workbook business owners fill in about the customer."),
    "validate": ("validate", "Check a filled workbook against its models; print every problem "
                             "with its cell."),
}


class _Commands(click.Group):
    """Commands imported on first use (see COMMANDS); every command's library errors end
    the same way: one line (a workbook's errors each with its cell first), exit code 1."""

    def list_commands(self, ctx):
        return sorted(set(COMMANDS) | set(self.commands))

    def get_command(self, ctx, name):
        if name not in self.commands and name in COMMANDS:
            module = import_module(f"{__name__}.{COMMANDS[name][0]}")
            self.add_command(module.command, name)
        return self.commands.get(name)

    def format_commands(self, ctx, formatter):
        # The help lines come from the table: listing the commands imports none of them.
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            if name in COMMANDS and name not in self.commands:
                summary = click.Command(name, help=COMMANDS[name][1])
                rows.append((name, summary.get_short_help_str(limit)))
            else:
                command = self.get_command(ctx, name)
                if command is not None and not command.hidden:
                    rows.append((name, command.get_short_help_str(limit)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except BpmncxError as error:
            from ..pipeline.inputs import WorkbookProblemsError

            if isinstance(error, WorkbookProblemsError):
                print_problems(error)
            err(f"error: {error}")
            ctx.exit(1)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bpmncx")
def cli():
    """bpmncx: find where the customer journey and the BPMN process do not meet."""


def main():
    # standalone_mode=False: click would turn Ctrl-C into "Aborted!" with exit 1; we
    # want the documented 130 for every command.
    try:
        code = cli.main(prog_name="bpmncx", standalone_mode=False)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except (click.exceptions.Abort, KeyboardInterrupt):
        err("interrupted")
        sys.exit(130)
    except Exception as error:  # a bug: one line for users, the traceback on request
        if os.environ.get("BPMNCX_DEBUG"):
            raise
        err(f"error: internal error ({type(error).__name__}: {error}); "
            "set BPMNCX_DEBUG=1 to see the traceback and please report it")
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
