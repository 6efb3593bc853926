"""``bpmncx blueprint``: the service blueprint of the journey over the process."""

from __future__ import annotations

import click

from ..pipeline.blueprint import blueprint
from .output import NumberRange, err, model_and_workbook


@click.command("blueprint")
@model_and_workbook("blueprint")
@click.option("-o", "--output", "out", required=True, metavar="OUT",
              help="The file to write: .svg, .png, .pdf or .html.")
@click.option("--persona", metavar="NAME", help="Only this persona's journey and emotions.")
@click.option("--max-crossings", type=click.IntRange(min=0), default=2, show_default=True,
              help="A step crossing the line of visibility more often is a finding.")
@click.option("--scale", type=NumberRange(min=0.1, max=10), default=2.0, show_default=True,
              help="PNG only: pixels per point.")
def command(models, workbook, out, persona, max_crossings, scale):
    """Draw the service blueprint of the journey in WORKBOOK over the BPMN MODELs.

    Columns are the journey steps; rows the physical evidence, the customer's
    actions, frontstage, backstage and support, with the lines of interaction,
    visibility and internal interaction between them.

    Example:

    \b
        bpmncx blueprint samples/online-order/online-order.bpmn \\
            samples/online-order/online-order-cx.xlsx -o blueprint.png
    """
    result = blueprint(models, workbook, out, persona=persona, max_crossings=max_crossings,
                       scale=scale)
    for problem in result.warnings:
        err(f"warning: {problem}")
    steps = len(result.analysis.steps)
    missing = len(result.analysis.missing_steps())
    err(f"wrote {result.path}: {steps} journey step(s), {missing} missing from operations")
