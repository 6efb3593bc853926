"""``bpmncx annotate``: the customer's view laid over the modeller's diagrams."""

from __future__ import annotations

import click

from ..pipeline.annotate import annotate
from ..render import DEFAULT_SCALE
from .output import NumberRange, err, formats_option, log_options, out, split_arguments


@click.command("annotate")
@click.argument("inputs", nargs=-1, required=True, type=str,
                metavar="MODEL... WORKBOOK")
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False),
              help="Directory for the diagrams (created if missing).")
@formats_option(default="svg")
@click.option("--persona", default=None, metavar="NAME|all|compare",
              help="Colour by this persona's emotions; 'all': one diagram per persona; "
                   "'compare': one diagram with every persona's curve and faces "
                   "(default: the lowest emotion across personas).")
@click.option("--scale", default=DEFAULT_SCALE, show_default=True,
              type=NumberRange(0.1, 20), help="PNG pixels per point.")
@click.option("--diagram", default=None, metavar="ID|all",
              help="Diagram or plane id to draw, or 'all': every diagram, MODEL.<diagram>.svg "
                   "(default: the first diagram, as Camunda Modeler opens it).")
@log_options(heat=True)
def command(inputs, outdir, formats, persona, scale, diagram, log):
    """Draw each MODEL in its own layout with the customer journey of WORKBOOK over it.

    Customer-facing elements are filled with the persona's emotion and carry a
    channel badge, faces per persona, a star on moments of truth and a red
    outline on pain points; above the top pool the journey band shows every
    step over the elements supporting it, steps missing from operations in
    dashed red, and the emotion curve. Writes OUTDIR/MODEL.svg, MODEL.cx.bpmn,
    MODEL.html, MODEL-report.xlsx ...; with --persona, MODEL.PERSONA.svg and so on;
    with --diagram all, MODEL.DIAGRAM.svg per diagram and every one in the HTML report.
    With --log, an event log measured against the journey: the two clocks in the
    title, the wait before and the share reaching each step on the journey band,
    a frequency or duration heat on the elements (--heat), and the measures in
    the HTML and Excel reports.

    Example:

        bpmncx annotate samples/insurance-claim/insurance-claim.bpmn \\
            samples/insurance-claim/insurance-claim-cx.xlsx -o out --format svg,png --persona all
    """
    models, workbook = split_arguments(inputs, "annotate")
    result = annotate(models, workbook, outdir, formats, persona, scale, diagram, log)
    for warning in result.warnings:
        err(f"warning: {warning}")
    for note in result.notes:
        err(f"note: {note}")
    for path in result.paths:
        out(path)
    for failure in result.failures:  # the other personas' outputs are written
        err(f"error: {failure}")
    if result.failures:
        click.get_current_context().exit(1)
