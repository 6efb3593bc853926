"""What changed between two versions of a model and its workbook, for the customer.

:func:`compare_models` is pure: two models (and their annotations, when there
are any) in, a :class:`ModelDiff` out, the same for the same input. It reports
the process changes (elements and flows), the journey changes (steps and
emotions) and the consequences (the gap analyses of both versions compared).
Reading files and git revisions is in :mod:`bpmncx.pipeline.diff`.
"""

from __future__ import annotations

from typing import Optional

from ..analysis import analyse
from ..annotations import Annotations
from ..model import Model
from .consequences import compare_consequences, finding_key
from .journey import compare_journey
from .process import compare_process, match_elements
from .result import (
    Consequences,
    Diff,
    ElementChange,
    ElementState,
    EmotionChange,
    FindingChange,
    FlowChange,
    JourneyDiff,
    ModelDiff,
    ProcessDiff,
    Side,
    StageEmotion,
    StepChange,
    StepState,
)

__all__ = [
    "compare_models",
    "empty_model",
    "finding_key",
    "Consequences",
    "Diff",
    "ElementChange",
    "ElementState",
    "EmotionChange",
    "FindingChange",
    "FlowChange",
    "JourneyDiff",
    "ModelDiff",
    "ProcessDiff",
    "Side",
    "StageEmotion",
    "StepChange",
    "StepState",
]


def empty_model(name: str) -> Model:
    """The version of a model that does not exist (before it was added, after it was deleted)."""
    return Model(path="", name=name, sha256="")


def compare_models(old: Optional[Model], new: Optional[Model],
                   old_annotations: Optional[Annotations] = None,
                   new_annotations: Optional[Annotations] = None,
                   old_side: Optional[Side] = None, new_side: Optional[Side] = None) -> ModelDiff:
    """Compare two versions of one model (either may be None: added or deleted).

    Annotations are each read against their own version of the model. Without
    annotations on either side only the process is compared; with them on one
    side only, the other side's journey is empty (every step is added or
    removed, every finding new or resolved).
    """
    if old is None and new is None:
        raise ValueError("compare_models needs at least one version of the model")
    name = (new or old).name
    new_model = new
    old = old if old is not None else empty_model(name)
    new = new if new is not None else empty_model(name)
    mapping = match_elements(old, new)
    process = compare_process(old, new, mapping)
    journey = consequences = None
    if old_annotations is not None or new_annotations is not None:
        old_annotations = old_annotations or Annotations(source="")
        new_annotations = new_annotations or Annotations(source="")
        journey, step_map = compare_journey(old_annotations, new_annotations, old, new, mapping)
        consequences = compare_consequences(analyse([old], old_annotations),
                                            analyse([new], new_annotations), mapping, step_map)
    return ModelDiff(name, old_side, new_side, process, journey, consequences,
                     new_annotations if journey is not None else None, new_model)
