"""What business owners tell us about the customer: the data read from a workbook.

Plain dataclasses, filled by :mod:`bpmncx.workbook.read` (or from an annotated
BPMN file); the analysis and the drawings only read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple


@dataclass(frozen=True)
class ElementRef:
    """One BPMN element in one model: (model name, element id)."""

    model: str
    element_id: str


@dataclass
class Problem:
    """A mistake in the workbook, with the cell it is in and how to fix it."""

    severity: str  # "error" or "warning"
    place: str  # "Journey!H7", or "Touchpoints" for a whole sheet, or the file
    message: str

    def __str__(self) -> str:
        return f"{self.place}: {self.message}"


@dataclass
class Persona:
    name: str
    description: str = ""
    goals: str = ""
    frustrations: str = ""
    preferred_channels: List[str] = field(default_factory=list)
    cell: str = ""


@dataclass
class Touchpoint:
    """One row of the Touchpoints sheet: an activity or event seen by the customer."""

    model: str
    element_id: str
    element_name: str = ""
    element_type: str = ""
    pool: str = ""
    lane: str = ""
    customer_facing: Optional[bool] = None  # None: not decided yet
    touchpoint: str = ""
    channel: str = ""
    stage: str = ""
    moment_of_truth: bool = False
    emotions: Dict[str, int] = field(default_factory=dict)  # persona -> -2..+2
    pain_point: str = ""
    opportunity: str = ""
    notes: str = ""
    row: int = 0
    cell: str = ""  # "Touchpoints!A5": where the row starts

    @property
    def ref(self) -> ElementRef:
        return ElementRef(self.model, self.element_id)


@dataclass
class JourneyStep:
    """One row of the Journey sheet: a step as the customer lives it."""

    number: int  # position in the journey, 1-based, after sorting by Step
    step: str  # the Step column as typed (usually a number)
    stage: str = ""
    customer_step: str = ""
    channel: str = ""
    persona: str = ""
    emotion: Optional[int] = None
    moment_of_truth: bool = False
    supported_by: List[ElementRef] = field(default_factory=list)
    supported_by_text: str = ""
    pain_point: str = ""
    notes: str = ""
    row: int = 0
    cell: str = ""  # "Journey!A7"
    supported_by_cell: str = ""  # "Journey!H7"

    @property
    def is_supported(self) -> bool:
        return bool(self.supported_by)


@dataclass
class Annotations:
    source: str
    personas: List[Persona] = field(default_factory=list)
    touchpoints: List[Touchpoint] = field(default_factory=list)
    journey: List[JourneyStep] = field(default_factory=list)
    problems: List[Problem] = field(default_factory=list)
    channels: Tuple[str, ...] = ()
    stages: Tuple[str, ...] = ()

    @property
    def errors(self) -> List[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> List[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def touchpoint(self, ref: ElementRef) -> Optional[Touchpoint]:
        for tp in self.touchpoints:
            if tp.model == ref.model and tp.element_id == ref.element_id:
                return tp
        return None

    def persona_names(self) -> List[str]:
        return [p.name for p in self.personas]
