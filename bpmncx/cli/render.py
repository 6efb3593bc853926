"""``bpmncx render``: the plain diagram in the modeller's layout, as SVG, PNG or PDF."""

from __future__ import annotations

import os
import sys

import click

from ..errors import BpmncxError
from ..files import refuse_inputs
from ..pipeline.render import render_files
from ..render import DEFAULT_SCALE, FORMATS, RenderOptions, format_of
from .output import NumberRange, err, out


@click.command("render")
@click.argument("models", nargs=-1, required=True, type=str)
@click.option("-o", "--output", "output", required=True, type=click.Path(),
              help="Output file (.svg, .png or .pdf picks the format); "
                   "a directory when several models are given.")
@click.option("--format", "fmt", default=None, type=click.Choice(FORMATS),
              help="Format of the files written into a directory (default svg).")
@click.option("--diagram", default=None, metavar="ID|all",
              help="Diagram or plane id to draw, or 'all': one file per diagram, "
                   "NAME.<diagram>.svg (default: the first diagram, as Camunda Modeler "
                   "opens it).")
@click.option("--scale", default=DEFAULT_SCALE, show_default=True, type=NumberRange(0.1, 20),
              help="PNG pixels per point.")
@click.option("-j", "--jobs", "workers", type=click.IntRange(min=1), default=None,
              help="Worker processes for many models (default: the number of CPUs); "
                   "the output is the same for any number.")
def command(models, output, fmt, diagram, scale, workers):
    """Draw MODELS as they were laid out in the modeller (SVG, PNG or PDF).

    One model: OUTPUT is the file to write. Several: OUTPUT is a directory and
    each model is written to it as NAME.svg (or --format), on every core
    (-j). A model without a diagram layout is laid out with Graphviz dot, with
    a warning; --diagram picks one of several diagrams, --diagram all draws
    each one to its own file. A model that cannot be read or drawn is reported
    and the others are still drawn (exit code 1).

    Example:

        bpmncx render samples/insurance-claim/insurance-claim.bpmn -o claim.svg
    """
    options = RenderOptions(diagram=diagram, scale=scale)
    if len(models) == 1 and not os.path.isdir(output):
        if fmt is not None and format_of(output) != fmt:
            raise BpmncxError(f"{output}: the extension does not match --format {fmt}")
        format_of(output)  # fail on a bad extension before reading anything
        targets = [output]
    else:
        if os.path.exists(output) and not os.path.isdir(output):
            raise BpmncxError(f"{output}: several models need an output directory")
        ext = fmt or "svg"
        targets, taken = [], set()
        for path in models:
            stem = os.path.splitext(os.path.basename(path))[0]
            name, n = stem, 1
            while name in taken:
                n += 1
                name = f"{stem}~{n}"
            taken.add(name)
            targets.append(os.path.join(output, f"{name}.{ext}"))
    refuse_inputs(targets, models)
    results = render_files(models, targets, options, workers)
    for result in results:
        if result.error:
            err(f"error: {result.error}")
        for note in result.notes:
            err(f"note: {note}")
    for result in results:
        for warning in result.warnings:
            err(f"warning: {warning}")
    for result in results:
        for path in result.written:
            out(path)
    sys.exit(1 if any(r.error for r in results) else 0)
