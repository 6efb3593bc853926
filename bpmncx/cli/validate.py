"""``bpmncx validate``: every problem in a filled workbook, with its cell."""

from __future__ import annotations

import sys

import click

from ..bpmn import load_model
from ..workbook.read import read_annotations
from .output import err, model_and_workbook, out


@click.command("validate")
@model_and_workbook("validate")
def command(models, workbook):
    """Check a filled workbook against its models; print every problem with its cell.

    MODEL... and WORKBOOK may come in either order (the workbook is told by what it is),
    so the older 'validate WORKBOOK MODEL...' still works.

    Exit code 0 when there are no errors (warnings are printed but allowed),
    1 when there is at least one error.

    Example:

        bpmncx validate samples/online-order/online-order.bpmn online-order-cx.xlsx
    """
    loaded = [load_model(path) for path in models]
    annotations = read_annotations(workbook, loaded)
    for problem in annotations.problems:
        out(f"{problem.severity}: {problem.place}: {problem.message}")
    errors, warnings = len(annotations.errors), len(annotations.warnings)
    err(f"{workbook}: {errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}; {len(annotations.personas)} personas, "
        f"{sum(1 for t in annotations.touchpoints if t.is_customer_facing)} customer-facing "
        f"touchpoints, {len(annotations.journey)} journey steps")
    sys.exit(1 if errors else 0)
