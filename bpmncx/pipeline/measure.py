"""The I/O edge of measuring: read the models, the workbook, the log and the survey."""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Mapping, Optional, Sequence, Tuple

from ..analysis.result import Finding
from ..annotations import Annotations, Problem
from ..eventlog.findings import Thresholds, log_findings
from ..eventlog.log import EventLog, load_log
from ..eventlog.measure import measure
from ..eventlog.result import Measurement
from ..eventlog.survey import Survey, read_survey
from ..model import Model
from .inputs import load_inputs


@dataclass(frozen=True)
class MeasuredFiles:
    models: Tuple[Model, ...]
    annotations: Annotations
    log: EventLog
    survey: Optional[Survey]
    measurement: Measurement
    findings: Tuple[Finding, ...]


def measure_files(model_paths: Sequence[str], workbook_path: str, log_path: str,
                  survey_path: Optional[str] = None, persona: Optional[str] = None,
                  columns: Optional[Mapping[str, str]] = None, date_order: Optional[str] = None,
                  scale: Optional[str] = None, thresholds: Thresholds = Thresholds(),
                  warnings: Optional[List[Problem]] = None, process_start: Sequence[str] = (),
                  process_stop: Sequence[str] = (), customer_start: Optional[int] = None,
                  customer_stop: Optional[int] = None) -> MeasuredFiles:
    """Read everything, measure, find. The caller closes ``result.log``.

    Raises what :func:`bpmncx.pipeline.gaps.gaps` raises, plus
    :class:`~bpmncx.errors.EventLogError` for an unreadable log or survey.
    """
    inputs = load_inputs(model_paths, workbook_path)
    models, annotations = inputs.models, inputs.annotations
    if warnings is not None:
        warnings.extend(inputs.warnings)
    survey = read_survey(survey_path, scale) if survey_path else None
    log = load_log(log_path, columns=columns, date_order=date_order)
    try:
        measurement = measure(models, annotations, log, persona=persona, survey=survey,
                              process_start=process_start, process_stop=process_stop,
                              customer_start=customer_start, customer_stop=customer_stop)
    except BaseException:
        log.close()
        raise
    findings = log_findings(measurement, annotations, thresholds)
    return MeasuredFiles(tuple(models), annotations, log, survey, measurement, tuple(findings))
