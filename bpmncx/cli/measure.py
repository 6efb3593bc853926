"""``bpmncx measure``: the two clocks and the journey funnel, from an event log."""

from __future__ import annotations

import sys

import click

from ..pipeline.inputs import WorkbookProblemsError
from ..errors import BpmncxError
from ..pipeline.measure import measure_files
from ..eventlog.findings import Thresholds
from ..eventlog.formats import measure_document, to_csv, to_json, to_markdown, to_table
from ..files import refuse_inputs, write_atomic
from .output import err, model_and_workbook


def _days(value: float) -> float:
    return value * 86400.0


@click.command("measure")
@model_and_workbook("measure")
@click.option("--log", "log_path", required=True, metavar="FILE",
              help="Event log: CSV (any delimiter), Parquet or XES.")
@click.option("--survey", "survey_path", metavar="FILE",
              help="Survey scores CSV (CSAT 1-5, NPS 0-10, CES 1-7).")
@click.option("--scale", type=click.Choice(["csat", "nps", "ces"], case_sensitive=False),
              help="Scale of survey rows that do not say theirs.")
@click.option("--persona", metavar="NAME", help="Only this persona's journey and emotions.")
@click.option("-o", "--output", metavar="OUT", help="Write the result here instead of stdout.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "md"]),
              default="table", show_default=True, help="Output format.")
@click.option("--case-column", metavar="NAME", help="The log's case id column.")
@click.option("--activity-column", metavar="NAME", help="The log's activity column.")
@click.option("--time-column", metavar="NAME", help="The log's timestamp column.")
@click.option("--lifecycle-column", metavar="NAME", help="The log's lifecycle column.")
@click.option("--resource-column", metavar="NAME", help="The log's resource column.")
@click.option("--channel-column", metavar="NAME", help="The log's channel column.")
@click.option("--process-start", multiple=True, metavar="ELEMENT",
              help="Start the process clock at this element's first event (id or name; "
                   "repeatable). Default: the first operations event.")
@click.option("--process-stop", multiple=True, metavar="ELEMENT",
              help="Stop the process clock at this element's last event (repeatable).")
@click.option("--customer-start", type=click.IntRange(min=1), metavar="STEP",
              help="Start the customer clock at this journey step (number).")
@click.option("--customer-stop", type=click.IntRange(min=1), metavar="STEP",
              help="Stop the customer clock at this journey step (number).")
@click.option("--date-order", type=click.Choice(["dmy", "mdy"]),
              help="How to read slash dates like 01/03/2024 when the data does not say.")
@click.option("--voice-gap", type=click.FloatRange(min=0), default=1.5, show_default=True,
              help="voice-gap when the customer clock is this many times the process clock.")
@click.option("--long-wait", type=click.FloatRange(min=0), default=2.0, show_default=True,
              help="long-wait when the p90 wait before a step is above this many days.")
@click.option("--drop-off", type=click.FloatRange(0, 1), default=0.2, show_default=True,
              help="drop-off when this share of a step's cases never reach the next.")
@click.option("--skipped-support", type=click.FloatRange(0, 1), default=0.2,
              show_default=True, help="skipped-support when this share of cases lacks it.")
@click.option("--emotion-drift", type=click.FloatRange(min=0), default=1.0,
              show_default=True, help="emotion-drift when measured and stated differ this much.")
@click.option("--min-cases", type=click.IntRange(min=1), default=5, show_default=True,
              help="Cases a share or wait needs behind it to raise a finding.")
@click.option("--fail-on", type=click.Choice(["critical", "warning"]),
              help="Exit 3 when a finding of this severity or worse exists.")
def command(models, workbook, log_path, survey_path, scale, persona, output, fmt,
            case_column, activity_column, time_column, lifecycle_column, resource_column,
            channel_column, process_start, process_stop, customer_start, customer_stop,
            date_order, voice_gap, long_wait, drop_off, skipped_support,
            emotion_drift, min_cases, fail_on):
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
    thresholds = Thresholds(voice_gap=voice_gap, long_wait=_days(long_wait), drop_off=drop_off,
                            skipped_support=skipped_support, emotion_drift=emotion_drift,
                            min_cases=min_cases)
    columns = {"case_id": case_column, "activity": activity_column, "timestamp": time_column,
               "lifecycle": lifecycle_column, "resource": resource_column,
               "channel": channel_column}
    warnings = []
    try:
        if output:
            refuse_inputs([output], list(models) + [workbook, log_path]
                          + ([survey_path] if survey_path else []))
        result = measure_files(models, workbook, log_path, survey_path, persona=persona,
                               columns=columns, date_order=date_order, scale=scale,
                               thresholds=thresholds, warnings=warnings,
                               process_start=process_start, process_stop=process_stop,
                               customer_start=customer_start, customer_stop=customer_stop)
    except WorkbookProblemsError as error:
        for problem in error.problems:
            err(f"error: {problem}")
        err(f"error: {error}")
        sys.exit(1)
    except BpmncxError as error:
        err(f"error: {error}")
        sys.exit(1)
    with result.log as log:
        for problem in warnings:
            err(f"warning: {problem}")
        if log.bad_rows:
            err(f"warning: {log.bad_rows_message()}")
        survey = result.survey
        if survey is not None and survey.bad_rows:
            more = survey.bad_rows - len(survey.bad_examples)
            err(f"warning: {survey.source}: {survey.bad_rows} row(s) skipped "
                f"({'; '.join(survey.bad_examples)}{f'; and {more} more' if more else ''})")
        m, findings = result.measurement, result.findings
        if fmt == "json":
            text = to_json(measure_document(
                m, findings, result.models, workbook, thresholds,
                survey=survey.source if survey is not None else None,
                log_columns=log.columns, bad_examples=log.bad_examples))
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
