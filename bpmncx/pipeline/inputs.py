"""Reading a command's inputs, once: the models, then the workbook against them.

One policy for workbook problems: :func:`load_inputs` returns the warnings with
the inputs and raises :class:`WorkbookProblemsError` (carrying every error and
the annotations read) when the workbook holds errors. Commands that can still
do something useful without the journey (``batch`` draws the plain diagram)
catch it; the others stop.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Sequence

from ..annotations import Annotations, Problem
from ..bpmn import load_model
from ..errors import BpmncxError
from ..model import Model


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
