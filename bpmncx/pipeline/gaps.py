"""``bpmncx gaps``: read the models and the filled workbook, then analyse."""

from __future__ import annotations

from typing import List, Optional, Sequence

from ..analysis import Analysis, analyse
from ..annotations import Problem
from .inputs import LogRequest, load_inputs
from .measure import log_warnings, with_log


def gaps(model_paths: Sequence[str], workbook_path: str, persona: Optional[str] = None,
         warnings: Optional[List[Problem]] = None, max_crossings: int = 2,
         log: Optional[LogRequest] = None) -> Analysis:
    """Read the BPMN files and the filled workbook, and return their gap analysis.

    Raises :class:`~bpmncx.errors.BpmnReadError` for an unreadable model,
    :class:`~bpmncx.errors.WorkbookError` for an unreadable workbook and
    :class:`~bpmncx.pipeline.inputs.WorkbookProblemsError` when the workbook
    holds errors. Workbook warnings are appended to ``warnings`` when a list is given.
    With ``log``, the event log is measured too and its findings join the analysis
    (``analysis.measured`` holds the measurement); an unreadable log raises
    :class:`~bpmncx.errors.EventLogError`.
    """
    inputs = load_inputs(model_paths, workbook_path, log)
    try:
        if warnings is not None:
            warnings.extend(inputs.warnings)
            warnings.extend(log_warnings(inputs))
        analysis = analyse(inputs.models, inputs.annotations, persona=persona,
                           max_crossings=max_crossings)
        return with_log(analysis, inputs)
    finally:
        inputs.close()
