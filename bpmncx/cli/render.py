"""``bpmncx render``: the plain diagram in the modeller's layout, as SVG, PNG or PDF."""

from __future__ import annotations

import os
import sys

import click

from ..bpmn import load_model
from ..errors import BpmncxError
from ..files import refuse_inputs
from ..pipeline.outputs import diagram_slugs, output_name
from ..render import (ALL_DIAGRAMS, DEFAULT_SCALE, FORMATS, RenderOptions, format_of,
                      other_diagrams_note, planes_to_draw, render_many, select_plane)
from .output import err, out


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
@click.option("--scale", default=DEFAULT_SCALE, show_default=True, type=click.FloatRange(0.1, 20),
              help="PNG pixels per point.")
def command(models, output, fmt, diagram, scale):
    """Draw MODELS as they were laid out in the modeller (SVG, PNG or PDF).

    One model: OUTPUT is the file to write. Several: OUTPUT is a directory and
    each model is written to it as NAME.svg (or --format). All diagrams are
    drawn by one Graphviz process. A model without a diagram layout is laid
    out with Graphviz dot, with a warning; --diagram picks one of several
    diagrams, --diagram all draws each one to its own file. A model that cannot be read is reported and the others are
    still drawn (exit code 1).

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
    items, failed = [], False
    for path, target in zip(models, targets):
        try:
            model = load_model(path)
        except BpmncxError as error:
            failed = True
            err(f"error: {error}")
            continue
        if diagram != ALL_DIAGRAMS:
            items.append((model, target, select_plane(model, diagram)))
            note = other_diagrams_note(model) if diagram is None else None
            if note:
                err(f"note: {note}")
            continue
        # every diagram: TARGET's name with the diagram's before the extension
        stem, ext = os.path.splitext(target)
        planes = planes_to_draw(model, diagram)
        slugs = diagram_slugs([p for p in planes if p is not None])
        for index, plane in enumerate(planes):
            name = output_name(os.path.basename(stem), None, ext.lstrip("."),
                               slugs.get(index) if plane is not None else None)
            items.append((model, os.path.join(os.path.dirname(stem), name), plane))
    refuse_inputs([item[1] for item in items], models)
    for warning in render_many(items, options):
        err(f"warning: {warning}")
    for item in items:
        out(item[1])
    sys.exit(1 if failed else 0)
