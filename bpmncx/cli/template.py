"""``bpmncx template``: write (or update) the workbook business owners fill in."""

from __future__ import annotations

import os
import re
import sys

import click

from ..bpmn import load_model
from ..workbook.template import repeated_names, write_template
from ..workbook.update import update_workbook
from .output import err


@click.command("template")
@click.argument("models", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The workbook to write (.xlsx).")
@click.option("--persona", "personas", multiple=True, metavar="NAME",
              help="A persona to pre-fill (repeat for several; default: Customer).")
@click.option("--stages", metavar="LIST",
              help="Journey stages, separated by commas (default: Discover, Choose, Buy/Apply, "
                   "Onboard, Use, Get help, Renew/Leave).")
@click.option("--update", "old", type=click.Path(dir_okay=False), metavar="OLD",
              help="Carry the owners' work over to the new workbook: every filled cell of "
                   "OLD.xlsx, or the personas, touchpoints and journey stored in an annotated "
                   "OLD.cx.bpmn (from 'bpmncx annotate --format bpmn'; only read).")
@click.option("--force", is_flag=True,
              help="Write over the workbook even when it is open in LibreOffice or Excel "
                   "(a lock file beside it) or read-only.")
@click.option("--log", "log_path", metavar="FILE",
              help="An event log (CSV, Parquet, XES): list its activities on the Event log "
                   "sheet, each with what bpmncx matched it to, for the owners to correct.")
@click.option("--case-column", metavar="NAME", help="The log's case id column.")
@click.option("--activity-column", metavar="NAME", help="The log's activity column.")
@click.option("--time-column", metavar="NAME", help="The log's timestamp column.")
def command(models, output, personas, stages, old, force, log_path, case_column,
            activity_column, time_column):
    """Write the Excel workbook business owners fill in about the customer.

    One row per activity and named event of every MODEL on the Touchpoints
    sheet, plus Personas, Journey, Pools and lanes, Event log, Settings and
    Instructions sheets; with --log, the Event log sheet lists the log's
    activities with what bpmncx matched them to. With --update, the
    owners' work in OLD (a workbook, or an annotated BPMN file) is kept:
    removed elements stay (marked), new ones are highlighted. An existing
    file at -o is backed up first (NAME.bak.xlsx) and the new one written
    atomically; a workbook open in LibreOffice or Excel, or read-only, is
    not replaced without --force.

    Example:

    \b
        bpmncx template samples/online-order/online-order.bpmn -o online-order-cx.xlsx \\
            --persona "First-time buyer" --persona "Regular customer"
        bpmncx template samples/online-order/online-order.bpmn -o online-order-cx.xlsx \\
            --update out/online-order.cx.bpmn
    """
    if not output.lower().endswith(".xlsx"):
        raise click.BadParameter("the workbook must end in .xlsx", param_hint="'-o'")
    loaded = [load_model(path) for path in models]
    stage_list = [s.strip() for s in re.split(r"[,;\n]", stages) if s.strip()] if stages else None
    if stages is not None and not stage_list:
        raise click.BadParameter("give at least one stage", param_hint="'--stages'")
    for name, earlier in repeated_names(personas):
        same = "" if name == earlier else f" (same as '{earlier}')"
        err(f"warning: persona '{name}' given twice{same}; kept once")
    activities = None
    if log_path:
        from ..pipeline.inputs import LogRequest
        from ..pipeline.measure import activity_suggestions

        activities = activity_suggestions(loaded, LogRequest(log_path, columns={
            "case_id": case_column, "activity": activity_column, "timestamp": time_column}))
    if old:
        result = update_workbook(old, loaded, output, personas=list(personas) or None,
                                 stages=stage_list, force=force, log_activities=activities)
        for warning in result.warnings:
            err(f"warning: {warning}")
        err(f"wrote {output}: {result.rows} touchpoint rows, {result.kept_cells} filled cells "
            f"carried over from {old}; {len(result.new)} new, {len(result.removed)} removed "
            f"(kept, marked), {len(result.renamed)} renamed")
    else:
        result = write_template(loaded, output, personas=list(personas) or None, stages=stage_list,
                                force=force, log_activities=activities)
        err(f"wrote {output}: {result.rows} touchpoint rows from "
            f"{', '.join(os.path.basename(m.path) for m in loaded)}; personas: "
            f"{', '.join(result.personas)}")
    if result.backup:
        err(f"the previous {output} was kept as {result.backup}")
    sys.exit(0)
