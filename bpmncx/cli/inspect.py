"""``bpmncx inspect``: what BPMN files contain."""

from __future__ import annotations

import sys

import click

from ..bpmn import load_model
from ..errors import BpmncxError
from ..inspect import summary, tree
from ..report.terminal import visible_bidi
from .output import err, out


@click.command("inspect")
# Plain strings: a missing file or a directory is reported by the reader on its
# own line, and the other files are still inspected.
@click.argument("files", nargs=-1, required=True, type=str)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file per line (JSON Lines).")
def command(files, as_json):
    """Show what BPMN files contain: pools, lanes, element counts, layout, warnings.

    A file that cannot be read is reported on its own line; the others are
    still shown, and the exit code is 1 at the end.

    Example:

        bpmncx inspect samples/insurance-claim/insurance-claim.bpmn
    """
    if as_json:
        import json  # only for --json: start-up counts for a command this quick
    failed = False
    for path in files:
        try:
            model = load_model(path)
        except BpmncxError as error:
            failed = True
            if as_json:
                out(json.dumps({"file": path, "error": str(error)}, ensure_ascii=False))
            else:
                err(visible_bidi(f"error: {error}"))
            continue
        info = summary(model)
        if as_json:
            out(json.dumps(info, ensure_ascii=False))
        else:
            _print_human(path, info, tree(model))
    sys.exit(1 if failed else 0)


def _print_human(path, info, tree_lines):
    """The tree for a terminal: names may hold bidi controls, shown escaped (see visible_bidi)."""
    out(visible_bidi(path))
    for line in tree_lines:
        out(visible_bidi(f"  {line}"))
    out(
        "  total: "
        + ", ".join(
            _plural(info[key], one, many)
            for key, one, many in (
                ("activities", "activity", "activities"),
                ("events", "event", "events"),
                ("gateways", "gateway", "gateways"),
                ("sequence_flows", "sequence flow", "sequence flows"),
                ("message_flows", "message flow", "message flows"),
                ("lanes", "lane", "lanes"),
            )
        )
    )
    layout = "yes" if info["has_di"] else "no (one will be generated)"
    diagrams = _plural(info["diagrams"], "diagram", "diagrams")
    if info["diagram_names"]:
        diagrams += ": " + ", ".join(info["diagram_names"])
    out(visible_bidi(f"  layout: {layout} ({diagrams})"))
    out(f"  warnings: {len(info['warnings'])}")
    for warning in info["warnings"]:
        out(visible_bidi(f"  warning: {warning}"))


def _plural(count, one, many):
    return f"{count} {one if count == 1 else many}"
