"""Event logs: the Voice of the Process against the Voice of the Customer, measured.

Read a log (CSV, Parquet, XES) into DuckDB's event table with :func:`load_log`,
measure it against the models and the journey with :func:`measure` (pure from
the caller's view: plain frozen dataclasses out), and turn the measurement into
findings with :func:`log_findings`. :func:`simulate` plays cases through a
model and writes the log they would leave, with the truth known.
"""

from .findings import LOG_KINDS, Thresholds, duration_text, log_findings
from .log import BadRow, EventLog, load_log
from .measure import measure
from .result import (
    ActivityMapping,
    ElementMeasure,
    Emotion,
    LogInfo,
    Measurement,
    Stat,
    StepMeasure,
    SupportMeasure,
)
from .simulate import CustomerEvent, Scenario, SimulatedLog, simulate
from .survey import SCALES, Survey, read_survey, to_emotion

__all__ = [
    "ActivityMapping", "BadRow", "CustomerEvent", "ElementMeasure", "Emotion", "EventLog",
    "LOG_KINDS", "LogInfo", "Measurement", "SCALES", "Scenario", "SimulatedLog", "Stat",
    "StepMeasure", "SupportMeasure", "Survey", "Thresholds", "duration_text", "load_log",
    "log_findings", "measure", "read_survey", "simulate", "to_emotion",
]
