"""``bpmncx gaps``: where the customer journey and the process do not meet."""

from __future__ import annotations

import os
import shutil
import sys

import click

from ..pipeline.gaps import gaps
from ..report.findings import to_csv, to_json, to_markdown
from .output import err, log_options, model_and_workbook
from .table import to_table


def _colour() -> bool:
    """Colour only for a terminal that wants it (https://no-color.org)."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


@click.command("gaps")
@model_and_workbook("gaps")
@click.option("--persona", metavar="NAME", help="Only this persona's journey and emotions.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "md"]),
              default="table", show_default=True, help="Output format.")
@click.option("--fail-on", type=click.Choice(["critical", "warning"]),
              help="Exit 3 when a finding of this severity or worse exists.")
@click.option("--max-crossings", type=click.IntRange(min=0), default=2, show_default=True,
              help="A step crossing the line of visibility more often is a finding.")
@log_options()
def command(models, workbook, persona, fmt, fail_on, max_crossings, log):
    """Show the gaps between the journey in WORKBOOK and the BPMN MODELs.

    Findings come worst first: journey steps no task supports, touchpoints no
    step mentions, pain points, channel mismatches, hand-offs, steps in an
    order the process cannot follow, support no start event reaches. Exit 3
    with --fail-on when a finding at or above that severity exists; exit 1
    when a model or the workbook cannot be read (workbook errors are listed
    with their cells). With --log, the event log is measured too and its
    findings (voice-gap, long-wait, drop-off, skipped-support, emotion-drift)
    join the others.

    Example:

    \b
        bpmncx gaps samples/insurance-claim/insurance-claim.bpmn \\
            samples/insurance-claim/insurance-claim-cx.xlsx --fail-on critical
    """
    warnings = []
    analysis = gaps(models, workbook, persona=persona, warnings=warnings,
                    max_crossings=max_crossings, log=log)
    for problem in warnings:
        err(f"warning: {problem}")
    if analysis.metrics.steps == 0:
        err(f"warning: {workbook}: the Journey sheet has no steps"
            + (f" for {analysis.persona}" if analysis.persona else "")
            + "; only the touchpoints were checked")
    if fmt == "json":
        text = to_json(analysis)
    elif fmt == "csv":
        text = to_csv(analysis)
    elif fmt == "md":
        text = to_markdown(analysis)
    else:
        width = shutil.get_terminal_size((100, 24)).columns
        text = to_table(analysis, width=width, colour=_colour())
    click.echo(text, nl=False)
    if fail_on:
        tripped = analysis.at_or_above(fail_on)
        if tripped:
            err(f"{len(tripped)} finding(s) at or above {fail_on}: failing (--fail-on {fail_on})")
            sys.exit(3)
    sys.exit(0)
