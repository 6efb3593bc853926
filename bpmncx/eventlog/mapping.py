"""Which BPMN element or journey step a log activity stands for.

In this order: the caller's mapping (e.g. the workbook's "Event log" sheet),
else an element by id or by name (:class:`bpmncx.model.ElementIndex`, the rule
the workbook's "Supported by" uses), else a journey step by its text. A name
several elements share maps to none of them (use the mapping). Customer-side
events no model has (web visit, call to the hotline) map to journey steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Mapping, Optional, Sequence, Tuple, Union

from ..annotations import ElementRef, JourneyStep
from ..model import ElementIndex, Model, name_key

Target = Union[ElementRef, int, str]


@dataclass(frozen=True)
class Meaning:
    element: Optional[ElementRef]
    step: Optional[int]
    how: str  # "mapping", "id", "name", "step"; for nothing: why


class ActivityMapper:
    def __init__(self, models: Sequence[Model], steps: Sequence[JourneyStep],
                 mapping: Optional[Mapping[str, Target]] = None):
        self.index = ElementIndex(list(models))
        self.steps_by_text: Dict[str, List[int]] = {}
        self.numbers = {s.number for s in steps}
        for step in steps:
            key = name_key(step.customer_step)
            if key:
                self.steps_by_text.setdefault(key, []).append(step.number)
        self.mapping = {name_key(k): v for k, v in (mapping or {}).items()}

    def meaning(self, activity: str) -> Meaning:
        given = self.mapping.get(name_key(activity))
        if given is not None:
            found = self._target(given)
            if found is None:
                return Meaning(None, None, f"the mapping's {given!r} is no element or "
                                           "journey step")
            return Meaning(*found, "mapping")
        found = self.index.find(activity)
        if len(found) == 1:
            model, node = found[0]
            how = "id" if node.id.casefold() == activity.casefold() else "name"
            return Meaning(ElementRef(model, node.id), None, how)
        if len(found) > 1:
            return Meaning(None, None, f"matches {len(found)} elements; map it explicitly")
        steps = self.steps_by_text.get(name_key(activity), [])
        if len(steps) == 1:
            return Meaning(None, steps[0], "step")
        if len(steps) > 1:
            return Meaning(None, None, f"matches {len(steps)} journey steps; map it explicitly")
        return Meaning(None, None, "matches no element or journey step")

    def _target(self, given: Target) -> Optional[Tuple[Optional[ElementRef], Optional[int]]]:
        if isinstance(given, ElementRef):
            return given, None
        if isinstance(given, int) and not isinstance(given, bool):
            return (None, given) if given in self.numbers else None
        text = str(given).strip()
        found = self.index.find(text)
        if len(found) == 1:
            return ElementRef(found[0][0], found[0][1].id), None
        steps = self.steps_by_text.get(name_key(text), [])
        if len(steps) == 1:
            return None, steps[0]
        if text.isdigit() and int(text) in self.numbers:
            return None, int(text)
        return None
