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
from typing import List, Optional, Sequence, Tuple

from ..annotations import Annotations, Problem
from ..bpmn import load_model
from ..errors import BpmncxError
from ..model import Model


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


@dataclass
class Inputs:
    """The models and the annotations read for them, with the workbook's warnings."""

    models: List[Model]
    annotations: Annotations
    warnings: List[Problem] = field(default_factory=list)


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


def load_inputs(model_paths: Sequence[str], workbook_path: str) -> Inputs:
    """Read the models, then the workbook against them (see :func:`read_workbook`)."""
    return read_workbook(workbook_path, load_models(model_paths))
