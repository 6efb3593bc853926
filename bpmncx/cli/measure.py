"""``bpmncx measure``: the two clocks and the journey funnel, from an event log."""

from __future__ import annotations

import sys

import click

from ..pipeline.inputs import WorkbookProblemsError
from ..errors import BpmncxError
from ..pipeline.measure import measure_files, reading_warnings
from ..eventlog.formats import measure_document, to_csv, to_json, to_markdown, to_table
from ..files import refuse_inputs, write_atomic
from .output import err, log_options, model_and_workbook


@click.command("measure")
@model_and_workbook("measure")
@log_options(required=True)
@click.option("--persona", metavar="NAME", help="Only this persona's journey and emotions.")
@click.option("-o", "--output", metavar="OUT", help="Write the result here instead of stdout.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "md"]),
              default="table", show_default=True, help="Output format.")
@click.option("--fail-on", type=click.Choice(["critical", "warning"]),
              help="Exit 3 when a finding of this severity or worse exists.")
def command(models, workbook, log, persona, output, fmt, fail_on):
    """Measure the event log --log against the MODELs and the journey in WORKBOOK.

    Prints the process clock (first to last event of operations' elements) and
    the customer clock (first to last journey-step event), per journey step the
    wait before it, the share of cases reaching it and the share lost before
    the next one, per element its frequency and duration, the activities that
    map to nothing, and the findings (voice-gap, long-wait, drop-off,
    skipped-support, emotion-drift).

    Example:

    \b
        bpmncx measure samples/online-order/online-order.bpmn \\
            samples/online-order/online-order-cx.xlsx --log orders.csv --format json
    """
    warnings = []
    try:
        if output:
            refuse_inputs([output], list(models) + [workbook] + log.files())
        result = measure_files(models, workbook, log, persona=persona, warnings=warnings)
    except WorkbookProblemsError as error:
        for problem in error.problems:
            err(f"error: {problem}")
        err(f"error: {error}")
        sys.exit(1)
    except BpmncxError as error:
        err(f"error: {error}")
        sys.exit(1)
    with result.log as opened:
        survey = result.survey
        for problem in [*warnings, *reading_warnings(opened, survey)]:
            err(f"warning: {problem}")
        thresholds = result.thresholds
        m, findings = result.measurement, result.findings
        if fmt == "json":
            text = to_json(measure_document(
                m, findings, result.models, workbook, thresholds,
                survey=survey.source if survey is not None else None,
                log_columns=opened.columns, bad_examples=opened.bad_examples))
        elif fmt == "csv":
            text = to_csv(m)
        elif fmt == "md":
            text = to_markdown(m, findings)
        else:
            text = to_table(m, findings)
    if output:
        try:
            write_atomic(output, text.encode("utf-8"))
        except BpmncxError as error:
            err(f"error: {error}")
            sys.exit(1)
    else:
        click.echo(text, nl=False)
    if fail_on:
        from ..severity import SEVERITY_RANK
        tripped = [f for f in findings if SEVERITY_RANK[f.severity] <= SEVERITY_RANK[fail_on]]
        if tripped:
            err(f"{len(tripped)} finding(s) at or above {fail_on}: failing (--fail-on {fail_on})")
            sys.exit(3)
    sys.exit(0)
