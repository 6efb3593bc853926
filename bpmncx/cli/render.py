"""``bpmncx render``: the plain diagram in the modeller's layout, as SVG, PNG or PDF."""

from __future__ import annotations

import click

from ..bpmn import load_model
from ..render import DEFAULT_SCALE, RenderOptions, format_of, render
from .output import err, out


@click.command("render")
@click.argument("model", type=click.Path(dir_okay=False))
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
              help="Output file; .svg, .png or .pdf picks the format.")
@click.option("--diagram", default=None, metavar="ID",
              help="Diagram or plane id to draw (default: the main diagram).")
@click.option("--scale", default=DEFAULT_SCALE, show_default=True, type=click.FloatRange(0.1, 20),
              help="PNG pixels per point.")
def command(model, output, diagram, scale):
    """Draw MODEL as it was laid out in the modeller (SVG, PNG or PDF).

    A model without a diagram layout is laid out with Graphviz dot, with a
    warning. Several diagrams in one file: --diagram picks one.

    Example:

        bpmncx render samples/insurance-claim/insurance-claim.bpmn -o claim.svg
    """
    format_of(output)  # fail on a bad extension before reading anything
    loaded = load_model(model)
    for warning in render(loaded, output, RenderOptions(diagram=diagram, scale=scale)):
        err(f"warning: {warning}")
    out(output)
