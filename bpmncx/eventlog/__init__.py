"""Event logs: the Voice of the Process against the Voice of the Customer, measured.

Read a log (CSV, Parquet, XES) into DuckDB's event table with :func:`load_log`,
measure it against the models and the journey with :func:`measure` (pure from
the caller's view: plain frozen dataclasses out), and turn the measurement into
findings with :func:`log_findings`. :func:`simulate` plays cases through a
model and writes the log they would leave, with the truth known.
"""

from importlib import import_module

from .findings import (LOG_KINDS, SETTINGS, Measured, Thresholds, duration_text, log_findings,
                       number_text, share_text)
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

# The log reader loads on first use (PEP 562): the picture and the workbook use the
# findings' thresholds and formatters without paying for DuckDB's import.
_LOG_NAMES = ("BadRow", "EventLog", "load_log")


def __getattr__(name: str):
    if name not in _LOG_NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(".log", __name__), name)


__all__ = [
    "ActivityMapping", "BadRow", "CustomerEvent", "ElementMeasure", "Emotion", "EventLog",
    "LOG_KINDS", "LogInfo", "Measurement", "SCALES", "Scenario", "SimulatedLog", "Stat",
    "StepMeasure", "SupportMeasure", "Survey", "Thresholds", "duration_text", "load_log",
    "log_findings", "measure", "read_survey", "simulate", "to_emotion", "share_text",
    "number_text", "Measured", "SETTINGS",
]
