"""Reading a command's inputs, once: the models, then the workbook against them.

One policy for workbook problems: :func:`load_inputs` returns the warnings with
the inputs and raises :class:`WorkbookProblemsError` (carrying every error and
the annotations read) when the workbook holds errors. Commands that can still
do something useful without the journey (``batch`` draws the plain diagram)
catch it; the others stop.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import os
from typing import TYPE_CHECKING, List, Mapping, Optional, Sequence, Tuple

from ..annotations import Annotations, Problem
from ..bpmn import load_model
from ..errors import BpmncxError
from ..model import Model

if TYPE_CHECKING:
    from ..eventlog.log import EventLog
    from ..eventlog.survey import Survey


class InputsError(BpmncxError):
    """The arguments do not hold one workbook and at least one model (a usage error)."""


class WorkbookProblemsError(BpmncxError):
    """The workbook has errors (each with its cell) that must be fixed before analysing."""

    def __init__(self, path: str, problems: List[Problem],
                 annotations: Optional[Annotations] = None):
        count = len(problems)
        noun, them = ("error", "it") if count == 1 else ("errors", "them")
        super().__init__(f"{path}: {count} {noun} in the workbook; fix {them} "
                         "(bpmncx validate shows them too) and run again")
        self.path = path
        self.problems = problems
        self.annotations = annotations


@dataclass(frozen=True)
class LogRequest:
    """An event log to measure beside the journey (``--log`` and its options): where it is,
    how to read it, and the settings given on the command line (None: not given, so the
    workbook's Settings sheet or the default holds). Thresholds are in the user's units
    (long-wait in days), keyed by their names (eventlog.findings.SETTINGS)."""

    path: str
    survey: Optional[str] = None
    scale: Optional[str] = None
    columns: Mapping[str, Optional[str]] = field(default_factory=dict)
    date_order: Optional[str] = None
    thresholds: Mapping[str, Optional[float]] = field(default_factory=dict)
    process_start: Tuple[str, ...] = ()
    process_stop: Tuple[str, ...] = ()
    customer_start: Optional[int] = None
    customer_stop: Optional[int] = None
    heat: str = "frequency"
    heat_limits: Optional[Tuple[float, float]] = None

    def files(self) -> List[str]:
        return [self.path] + ([self.survey] if self.survey else [])


# batch --log auto: the log beside each model, MODEL.log.csv (or .xes, .parquet)
PER_MODEL_LOG = "auto"
LOG_SUFFIXES = (".log.csv", ".log.xes", ".log.parquet")


def log_beside(model_path: str) -> Optional[str]:
    """The per-model log of ``model_path`` (``orders.bpmn`` -> ``orders.log.csv``, ``.xes``
    or ``.parquet``, the first found), or None."""
    stem, suffix = os.path.splitext(model_path)
    if suffix.lower() not in (".bpmn", ".xml"):
        stem = model_path
    for ending in LOG_SUFFIXES:
        if os.path.isfile(stem + ending):
            return stem + ending
    return None


@dataclass
class Inputs:
    """The models and the annotations read for them, with the workbook's warnings; and the
    event log (and survey) when one was asked for: the caller closes ``log``."""

    models: List[Model]
    annotations: Annotations
    warnings: List[Problem] = field(default_factory=list)
    log: Optional[EventLog] = None
    survey: Optional[Survey] = None
    request: Optional[LogRequest] = None

    def close(self) -> None:
        if self.log is not None:
            self.log.close()


# What a workbook looks like from its first bytes: a zip (.xlsx, .xlsm, .ods) or an OLE file
# (legacy .xls); a spreadsheet suffix counts for files that cannot be read (yet).
_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"
_SHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
_CX_MARK = b"https://bpmncx.org/schema/cx/1.0"


def _head(path: str, size: int) -> bytes:
    if not os.path.isfile(path):  # a pipe or device would block or never end: not sniffed
        return b""
    try:
        with open(path, "rb") as handle:
            return handle.read(size)
    except OSError:
        return b""


def looks_like_workbook(path: str) -> bool:
    head = _head(path, 8)
    return head.startswith((_ZIP, _OLE)) or str(path).lower().endswith(_SHEET_SUFFIXES)


def holds_annotations(path: str) -> bool:
    """An annotated BPMN file (bpmn/write): it can stand in for the workbook."""
    return _CX_MARK in _head(path, 4 << 20)


def split_inputs(paths: Sequence[str], command: str) -> Tuple[List[str], str]:
    """(model paths, workbook path) from a command's arguments, in either order: the
    workbook is found by what it is (a spreadsheet; else the one annotated .cx.bpmn among
    plain models), so 'validate WORKBOOK MODEL' and 'gaps MODEL WORKBOOK' both work however
    they are typed. Raises :class:`InputsError` saying what is missing or doubled."""
    paths = list(paths)
    usage = f"bpmncx {command} MODEL... WORKBOOK"
    sheets = [p for p in paths if looks_like_workbook(p)]
    if len(sheets) > 1:
        raise InputsError(f"{', '.join(sheets)}: {'both' if len(sheets) == 2 else 'all'} "
                          f"workbooks; give one workbook and the model(s) it describes: {usage}")
    if not sheets:
        annotated = [p for p in paths if holds_annotations(p)]
        if len(annotated) == 1 and len(paths) > 1:
            sheets = annotated
    if not sheets:
        unreadable = [p for p in paths if not os.path.isfile(p)]
        if unreadable and len(paths) > 1:  # the reader names what is wrong; keep the order
            return (paths[1:], paths[0]) if command == "validate" else (paths[:-1], paths[-1])
        raise InputsError(f"{', '.join(paths)}: no workbook among these (only BPMN models); "
                          f"give the filled workbook too: {usage}")
    models = [p for p in paths if p != sheets[0]]
    if not models:
        raise InputsError(f"{sheets[0]}: a workbook but no model; give the model(s) it "
                          f"describes too: {usage}")
    return models, sheets[0]


def load_models(paths: Sequence[str]) -> List[Model]:
    """Every model file, read once, in the order given."""
    return [load_model(path) for path in paths]


def read_workbook(path: str, models: Sequence[Model]) -> Inputs:
    """The annotations of the workbook (or annotated BPMN file) at ``path`` for ``models``.

    Raises :class:`~bpmncx.errors.WorkbookError` when the file cannot be read and
    :class:`WorkbookProblemsError` when it holds errors.
    """
    from ..workbook import read_annotations  # openpyxl: loaded only when a workbook is read

    annotations = read_annotations(path, list(models))
    if annotations.errors:
        raise WorkbookProblemsError(str(path), annotations.errors, annotations)
    return Inputs(list(models), annotations, list(annotations.warnings))


def load_inputs(model_paths: Sequence[str], workbook_path: str,
                log: Optional[LogRequest] = None) -> Inputs:
    """Read the models, then the workbook against them (see :func:`read_workbook`), then the
    event log and survey of ``log`` when given (raises
    :class:`~bpmncx.errors.EventLogError` when one cannot be read)."""
    inputs = read_workbook(workbook_path, load_models(model_paths))
    if log is not None:
        load_log_into(inputs, log)
    return inputs


def load_log_into(inputs: Inputs, request: LogRequest) -> None:
    """Read the log (and survey) of ``request`` into ``inputs``, one way for every command."""
    from ..eventlog.log import load_log  # DuckDB: loaded only when a log is read
    from ..eventlog.survey import read_survey

    survey = read_survey(request.survey, request.scale) if request.survey else None
    inputs.log = load_log(request.path, columns={k: v for k, v in request.columns.items() if v},
                          date_order=request.date_order)
    inputs.survey, inputs.request = survey, request
