"""The I/O edge of the gap analysis: read the models and the workbook, then analyse."""

from __future__ import annotations

from typing import List, Optional, Sequence

from ..annotations import Problem
from ..bpmn import load_model
from ..errors import BpmncxError
from . import analyse
from .result import Analysis


class WorkbookProblemsError(BpmncxError):
    """The workbook has errors (each with its cell) that must be fixed before analysing."""

    def __init__(self, path: str, problems: List[Problem]):
        count = len(problems)
        noun, them = ("error", "it") if count == 1 else ("errors", "them")
        super().__init__(f"{path}: {count} {noun} in the workbook; fix {them} "
                         "(bpmncx validate shows them too) and run again")
        self.path = path
        self.problems = problems


def gaps(model_paths: Sequence[str], workbook_path: str, persona: Optional[str] = None,
         warnings: Optional[List[Problem]] = None) -> Analysis:
    """Read the BPMN files and the filled workbook, and return their gap analysis.

    Raises :class:`~bpmncx.errors.BpmnReadError` for an unreadable model,
    :class:`~bpmncx.errors.WorkbookError` for an unreadable workbook and
    :class:`WorkbookProblemsError` when the workbook holds errors. Workbook
    warnings are appended to ``warnings`` when a list is given.
    """
    from ..workbook import read_annotations  # the workbook package is heavier; load on use

    models = [load_model(path) for path in model_paths]
    annotations = read_annotations(workbook_path, models)
    if annotations.errors:
        raise WorkbookProblemsError(str(workbook_path), annotations.errors)
    if warnings is not None:
        warnings.extend(annotations.warnings)
    return analyse(models, annotations, persona=persona)
