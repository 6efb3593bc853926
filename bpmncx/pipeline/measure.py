"""The I/O edge of measuring: read the models, the workbook, the log and the survey.

Every command with ``--log`` (measure, gaps, annotate, batch) reads the log through
:func:`~bpmncx.pipeline.inputs.load_inputs` and measures it here, so the Event log
sheet's mapping and the thresholds (command line > workbook Settings sheet >
defaults) are applied the same way everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from ..analysis import Analysis
from ..analysis.result import Finding
from ..annotations import Annotations, Problem
from ..eventlog.findings import Measured, Thresholds, log_findings, thresholds_from
from ..eventlog.log import EventLog
from ..eventlog.measure import measure
from ..eventlog.result import Measurement
from ..eventlog.survey import Survey
from ..model import Model
from .inputs import Inputs, LogRequest, load_inputs


@dataclass(frozen=True)
class MeasuredFiles:
    models: Tuple[Model, ...]
    annotations: Annotations
    log: EventLog
    survey: Optional[Survey]
    measurement: Measurement
    findings: Tuple[Finding, ...]
    thresholds: Thresholds = Thresholds()


def thresholds_for(annotations: Annotations, request: LogRequest) -> Thresholds:
    """Command line over the workbook's Settings sheet over the defaults."""
    return thresholds_from(request.thresholds, annotations.settings)


def measure_inputs(inputs: Inputs, persona: Optional[str] = None) -> Measured:
    """Measure the log in ``inputs`` (read by load_inputs with a LogRequest) for
    ``persona``, with the workbook's Event log sheet as the activity mapping."""
    request = inputs.request
    assert inputs.log is not None and request is not None, "load_inputs was given no log"
    annotations = inputs.annotations
    measurement = measure(inputs.models, annotations, inputs.log, persona=persona,
                          mapping=annotations.log_mapping or None, survey=inputs.survey,
                          process_start=request.process_start,
                          process_stop=request.process_stop,
                          customer_start=request.customer_start,
                          customer_stop=request.customer_stop)
    thresholds = thresholds_for(annotations, request)
    findings = tuple(log_findings(measurement, annotations, thresholds))
    return Measured(measurement, findings, thresholds, request.heat, request.heat_limits,
                    request.survey)


def with_log(analysis: Analysis, inputs: Inputs) -> Analysis:
    """``analysis`` with the log of ``inputs`` measured for its persona and the log's
    findings joined in (unchanged when no log was asked for)."""
    if inputs.log is None:
        return analysis
    measured = measure_inputs(inputs, analysis.persona)
    return analysis.with_findings(measured.findings, measured)


def log_warnings(inputs: Inputs) -> List[str]:
    """What to warn of the log and survey read (see :func:`reading_warnings`)."""
    return reading_warnings(inputs.log, inputs.survey)


def reading_warnings(log, survey) -> List[str]:
    """One line each: a log that was not UTF-8, the rows of the log and survey that were
    skipped (or none). Every command that reads a log warns with these."""
    lines = []
    if log is not None and log.encoding == "Windows-1252":
        lines.append(f"{log.source}: not UTF-8 text; read as Windows-1252 (Excel's CSV on "
                     "Windows); save the log as CSV UTF-8 to be sure of every character")
    if log is not None and log.bad_rows:
        lines.append(log.bad_rows_message())
    if survey is not None and survey.bad_rows:
        more = survey.bad_rows - len(survey.bad_examples)
        lines.append(f"{survey.source}: {survey.bad_rows} row(s) skipped "
                     f"({'; '.join(survey.bad_examples)}{f'; and {more} more' if more else ''})")
    return lines


def measure_files(model_paths: Sequence[str], workbook_path: str, request: LogRequest,
                  persona: Optional[str] = None,
                  warnings: Optional[List[Problem]] = None) -> MeasuredFiles:
    """Read everything, measure, find. The caller closes ``result.log``.

    Raises what :func:`bpmncx.pipeline.gaps.gaps` raises, plus
    :class:`~bpmncx.errors.EventLogError` for an unreadable log or survey.
    """
    inputs = load_inputs(model_paths, workbook_path, request)
    if warnings is not None:
        warnings.extend(inputs.warnings)
    try:
        measured = measure_inputs(inputs, persona)
    except BaseException:
        inputs.close()
        raise
    return MeasuredFiles(tuple(inputs.models), inputs.annotations, inputs.log, inputs.survey,
                         measured.measurement, measured.findings, measured.thresholds)


def activity_suggestions(models: Sequence[Model], request: LogRequest) -> List[Tuple[str, int, str]]:
    """(activity, events, suggestion) of every activity in the log, most frequent first,
    for the workbook's Event log sheet: what matching by id and name finds (the owners
    type a mapping where it finds nothing, or the wrong thing)."""
    from ..eventlog.log import load_log
    from ..eventlog.mapping import ActivityMapper

    mapper = ActivityMapper(list(models), [])
    with load_log(request.path, columns={k: v for k, v in request.columns.items() if v},
                  date_order=request.date_order) as log:
        rows = []
        for activity, events, _cases in log.activities():
            meaning = mapper.meaning(activity)
            if meaning.element is not None:
                model = next(m for m in models if m.name == meaning.element.model)
                name = model.lookup_name(meaning.element.element_id)
                suggestion = f"{meaning.element.element_id} ({name}; by {meaning.how})"
            else:
                suggestion = f"nothing found: {meaning.how}; type an element or journey step"
            rows.append((activity, events, suggestion))
    return rows
