"""``bpmncx inspect``: what BPMN files contain."""

from __future__ import annotations

import json
import sys

import click

from ..bpmn import load_model
from ..errors import BpmncxError
from ..inspect import summary, tree
from .output import err, out


@click.command("inspect")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file per line (JSON Lines).")
def command(files, as_json):
    """Show what BPMN files contain: pools, lanes, element counts, layout, warnings.

    A file that cannot be read is reported on its own line; the others are
    still shown, and the exit code is 1 at the end.

    Example:

        bpmncx inspect samples/insurance-claim/insurance-claim.bpmn
    """
    failed = False
    for path in files:
        try:
            model = load_model(path)
        except BpmncxError as error:
            failed = True
            if as_json:
                out(json.dumps({"file": path, "error": str(error)}, ensure_ascii=False))
            else:
                err(f"error: {error}")
            continue
        info = summary(model)
        if as_json:
            out(json.dumps(info, ensure_ascii=False))
        else:
            _print_human(path, info, tree(model))
    sys.exit(1 if failed else 0)


def _print_human(path, info, tree_lines):
    out(path)
    for line in tree_lines:
        out(f"  {line}")
    out(
        f"  {info['activities']} activities, {info['events']} events, "
        f"{info['gateways']} gateways, {info['sequence_flows']} sequence flows, "
        f"{info['message_flows']} message flows, {info['lanes']} lanes"
    )
    plural = "s" if info["diagrams"] != 1 else ""
    layout = "yes" if info["has_di"] else "no (one will be generated)"
    out(f"  layout: {layout} ({info['diagrams']} diagram{plural})")
    for warning in info["warnings"]:
        out(f"  warning: {warning}")
