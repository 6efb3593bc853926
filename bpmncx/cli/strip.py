"""``bpmncx strip``: remove what bpmncx added to a BPMN file."""

from __future__ import annotations

import os

import click

from ..bpmn.strip import strip_file
from .output import out


@click.command("strip")
@click.argument("model", type=str)
@click.option("-o", "--output", "output", required=True, type=str,
              help="The file to write (or an existing folder: the name without .cx).")
def command(model, output):
    """Remove bpmncx's colours, notes and data from an annotated BPMN file.

    Everything else stays byte for byte: a file annotated and then stripped
    equals the original. A file without bpmncx additions is copied unchanged.

    Example:

        bpmncx strip out/insurance-claim.cx.bpmn -o insurance-claim.bpmn
    """
    if os.path.isdir(output):
        name = os.path.basename(model)
        stem, ext = os.path.splitext(name)
        if stem.endswith(".cx"):
            name = stem[:-3] + ext
        output = os.path.join(output, name)
    strip_file(model, output)
    out(output)
