"""The ``bpmncx`` command line: thin wrappers over the Python API.

Each command lives in its own module here and only parses options, calls one
library function and prints. Exit codes: 0 ok, 1 an input could not be read
(or a model in a batch failed), 2 usage error, 3 a ``--fail-on`` gate tripped.
"""

from __future__ import annotations

import os
import sys

import click

from ..version import __version__
from ..errors import BpmncxError
from ..pipeline.inputs import WorkbookProblemsError
from .output import err, print_problems


class _Commands(click.Group):
    """Every command's library errors end the same way: one line (a workbook's errors
    each with its cell first), exit code 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except BpmncxError as error:
            if isinstance(error, WorkbookProblemsError):
                print_problems(error)
            err(f"error: {error}")
            ctx.exit(1)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="bpmncx")
def cli():
    """bpmncx: find where the customer journey and the BPMN process do not meet."""


# One line per command module; each module defines a click command named `command`.
from . import inspect  # noqa: E402
from . import gaps  # noqa: E402
from . import render  # noqa: E402
from . import annotate  # noqa: E402
from . import template  # noqa: E402
from . import validate  # noqa: E402
from . import batch  # noqa: E402
from . import strip  # noqa: E402
from . import diff  # noqa: E402
from . import measure  # noqa: E402
from . import blueprint  # noqa: E402

COMMANDS = [
    inspect.command,
    gaps.command,
    render.command,
    annotate.command,
    template.command,
    validate.command,
    batch.command,
    strip.command,
    diff.command,
    measure.command,
    blueprint.command,
]
for _command in COMMANDS:
    cli.add_command(_command)


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
