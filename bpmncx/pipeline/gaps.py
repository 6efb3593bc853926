"""``bpmncx gaps``: read the models and the filled workbook, then analyse."""

from __future__ import annotations

from typing import List, Optional, Sequence

from ..analysis import Analysis, analyse
from ..annotations import Problem
from .inputs import load_inputs


def gaps(model_paths: Sequence[str], workbook_path: str, persona: Optional[str] = None,
         warnings: Optional[List[Problem]] = None, max_crossings: int = 2) -> Analysis:
    """Read the BPMN files and the filled workbook, and return their gap analysis.

    Raises :class:`~bpmncx.errors.BpmnReadError` for an unreadable model,
    :class:`~bpmncx.errors.WorkbookError` for an unreadable workbook and
    :class:`~bpmncx.pipeline.inputs.WorkbookProblemsError` when the workbook
    holds errors. Workbook warnings are appended to ``warnings`` when a list is given.
    """
    inputs = load_inputs(model_paths, workbook_path)
    if warnings is not None:
        warnings.extend(inputs.warnings)
    return analyse(inputs.models, inputs.annotations, persona=persona, max_crossings=max_crossings)
