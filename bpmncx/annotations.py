"""What business owners tell us about the customer: the data read from a workbook.

Plain dataclasses, filled by :mod:`bpmncx.workbook.read` (or from an annotated
BPMN file); the analysis and the drawings only read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Dict, List, Optional, Tuple

from .errors import BpmncxError
from .vocabulary import DEFAULT_PERSONA


class UnknownPersonaError(BpmncxError):
    """A persona was asked for that the workbook does not name."""


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
    negative: bool = False  # who the product is not for: shown apart, never a finding


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
    # where each value was typed: "channel" -> "Touchpoints!J5", "emotion:<persona>" -> ...
    cells: Dict[str, str] = field(default_factory=dict, compare=False)

    def cell_of(self, key: str) -> str:
        """The cell a value was typed in (findings point there), else the row's start."""
        return self.cells.get(key) or self.cell
    # the element's own blueprint row (customer|frontstage|backstage|support); "" = its lane's
    blueprint_row: str = ""

    @property
    def ref(self) -> ElementRef:
        return ElementRef(self.model, self.element_id)

    @property
    def is_customer_facing(self) -> bool:
        """The one rule every output uses: Yes is, No is not; a blank
        Customer-facing? cell is when the owner filled the touchpoint text, a
        channel or an emotion (the intent is clear)."""
        if self.customer_facing is not None:
            return self.customer_facing
        return bool(self.touchpoint.strip() or self.channel.strip() or self.emotions)


@dataclass(frozen=True)
class Feeling:
    """The emotion an element is coloured by and the persona(s) feeling it."""

    score: Optional[int]  # -2..+2, None when nobody said
    who: Tuple[str, ...]  # several personas tie for the lowest


def feeling(emotions: Dict[str, int], persona: Optional[str]) -> Feeling:
    """``persona``'s emotion, or without a persona the lowest of all.

    Names are compared exactly: the analysis works on annotations whose persona
    names are already the workbook's spelling (:meth:`Annotations.canonical`).
    A persona that gave no score feels nothing (score None), it does not
    borrow another persona's emotion.
    """
    if persona is not None:
        score = emotions.get(persona)
        return Feeling(score, (persona,)) if score is not None else Feeling(None, ())
    if not emotions:
        return Feeling(None, ())
    low = min(emotions.values())
    return Feeling(low, tuple(sorted(n for n, s in emotions.items() if s == low)))


@dataclass
class JourneyStep:
    """One row of the Journey sheet: a step as the customer lives it."""

    number: int  # position in the journey, 1-based, after sorting by Step
    step: str  # the Step column as typed (usually a number)
    stage: str = ""
    customer_step: str = ""
    channel: str = ""
    device: str = ""  # what the customer uses: one of vocabulary.DEVICES, or as typed
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
    cells: Dict[str, str] = field(default_factory=dict, compare=False)  # "emotion" -> "Journey!F7"

    def cell_of(self, key: str) -> str:
        """The cell a value was typed in (findings point there), else the row's start."""
        return self.cells.get(key) or (self.supported_by_cell if key == "supported_by" else "") \
            or self.cell
    evidence: str = ""  # physical evidence: what the customer sees or gets (a letter, a screen)
    evidence_cell: str = ""  # "Journey!K7"


@dataclass
class Annotations:
    source: str
    personas: List[Persona] = field(default_factory=list)
    touchpoints: List[Touchpoint] = field(default_factory=list)
    journey: List[JourneyStep] = field(default_factory=list)
    problems: List[Problem] = field(default_factory=list)
    channels: Tuple[str, ...] = ()
    stages: Tuple[str, ...] = ()
    # the owners' blueprint row of each pool and lane: (model, pool or lane id) -> row
    sides: Dict[Tuple[str, str], str] = field(default_factory=dict)
    side_cells: Dict[Tuple[str, str], str] = field(default_factory=dict)  # -> "Pools and lanes!F4"
    # the "Event log" sheet: a log activity (as typed) -> the element id or name, or the
    # journey step (number or text) it stands for; used before matching by id and name
    log_mapping: Dict[str, str] = field(default_factory=dict)
    log_mapping_cells: Dict[str, str] = field(default_factory=dict)  # activity -> "Event log!B4"
    # the Settings sheet: a threshold's name ("long-wait") -> its value in the unit it is
    # documented in (long-wait in days); the command line overrides these
    settings: Dict[str, float] = field(default_factory=dict)
    setting_cells: Dict[str, str] = field(default_factory=dict)

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
        """The Personas sheet only, as typed."""
        return [p.name for p in self.personas]

    def negative_personas(self) -> List[str]:
        """The personas marked negative: who the product is not meant for."""
        return [p.name for p in self.personas if p.negative]

    def known_personas(self) -> List[str]:
        """Every persona, once (any case): the Personas sheet in order, then
        those only named on journey steps or touchpoint emotions, sorted."""
        names: List[str] = []
        seen = set()

        def add(name: str) -> None:
            name = name.strip()
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                names.append(name)

        for persona in self.personas:
            add(persona.name)
        extra = set()
        for step in self.journey:
            extra.add(step.persona.strip())
        for tp in self.touchpoints:
            extra.update(p.strip() for p in tp.emotions)
        for name in sorted(n for n in extra if n):
            add(name)
        return names

    def canonical_persona(self, name: str) -> str:
        """The workbook's spelling of ``name`` (any case), else ``name`` stripped."""
        wanted = name.strip().casefold()
        for known in self.known_personas():
            if known.casefold() == wanted:
                return known
        return name.strip()

    def canonical(self) -> "Annotations":
        """These annotations with every persona name spelled as :meth:`known_personas`
        has it (a journey step typed "small business owner" becomes "Small business
        owner"), so that later stages compare names exactly. ``self`` when nothing
        changes; otherwise a copy (steps and touchpoints copied where they change)."""
        spelling = {name.casefold(): name for name in self.known_personas()}

        def fix(name: str) -> str:
            return spelling.get(name.strip().casefold(), name.strip()) if name.strip() else name

        journey = [s if fix(s.persona) == s.persona else replace(s, persona=fix(s.persona))
                   for s in self.journey]
        touchpoints = []
        for tp in self.touchpoints:
            emotions = {fix(name): score for name, score in tp.emotions.items()}
            touchpoints.append(tp if list(emotions) == list(tp.emotions)
                               else replace(tp, emotions=emotions))
        if all(a is b for a, b in zip(journey, self.journey)) and \
                all(a is b for a, b in zip(touchpoints, self.touchpoints)):
            return self
        return replace(self, journey=journey, touchpoints=touchpoints)

    def resolve_persona(self, name: Optional[str]) -> Optional[str]:
        """The workbook's spelling of the persona ``name`` (any case); None stays None.

        A workbook naming no persona has the reports' default one.
        """
        if name is None:
            return None
        known = self.known_personas()
        wanted = name.strip().casefold()
        for candidate in known or [DEFAULT_PERSONA]:
            if candidate.casefold() == wanted:
                return candidate
        raise UnknownPersonaError(
            f"{self.source}: persona '{name}' is not in the workbook "
            f"(personas: {', '.join(known) or 'none'})"
        )
