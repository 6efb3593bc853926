"""What measuring a log against the models and the journey gives: plain frozen dataclasses.

Durations are seconds (float). Shares are 0..1. A value that cannot be
measured (no case reached the step, no pair of start and complete events) is
None, never 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Tuple

from ..annotations import ElementRef


@dataclass(frozen=True)
class Stat:
    """A distribution over cases (or occurrences): how many, and its quantiles.

    Quantiles interpolate linearly between the two nearest values (DuckDB's
    ``quantile_cont``, numpy's default); all None when ``count`` is 0.
    """

    count: int
    median: Optional[float] = None
    p90: Optional[float] = None
    minimum: Optional[float] = None
    p25: Optional[float] = None
    p75: Optional[float] = None
    maximum: Optional[float] = None


@dataclass(frozen=True)
class Emotion:
    """Survey scores mapped onto -2..+2: their mean and how many there were."""

    mean: Optional[float]
    count: int


@dataclass(frozen=True)
class SupportMeasure:
    """One element supporting a journey step, against the cases that reached the step."""

    element: ElementRef
    name: str
    skipped: int  # cases that reached the step without this element happening
    skipped_share: Optional[float]
    after: Optional[int]  # ... where it first happened after the step's last event
    after_share: Optional[float]  # None when the step is only seen through its support


@dataclass(frozen=True)
class StepMeasure:
    """One journey step as the log shows it."""

    number: int
    label: str  # the step's text
    moment_of_truth: bool
    observed: str  # "direct" (log activities map to the step), "support" (its elements), "none"
    cases: int  # cases that reached it
    reach: Optional[float]  # cases / all cases of the log; None when not observed
    wait: Stat  # seconds from the previous step reached (its last event) to this one (first)
    repeated: int  # cases where it happened more than once (rework)
    repeats: int  # extra occurrences, summed over cases
    next_step: Optional[int]  # the next observed step of the journey
    lost: Optional[int]  # cases that reached this step but not next_step
    lost_share: Optional[float]
    support: Tuple[SupportMeasure, ...]
    stated_emotion: Optional[int]  # the owners' (workbook)
    measured_emotion: Emotion  # from the survey
    cell: str = ""


@dataclass(frozen=True)
class ElementMeasure:
    """One BPMN element the log maps to: for a frequency or duration heat."""

    element: ElementRef
    name: str
    customer_side: bool  # in the customer's own pool or lane
    occurrences: int  # start/complete pairs count once
    cases: int
    duration: Stat  # seconds from start to complete, per occurrence with both
    stated_emotion: Optional[int]
    measured_emotion: Emotion


@dataclass(frozen=True)
class ActivityMapping:
    """A log activity and what it stands for: an element, a journey step, or nothing."""

    activity: str
    events: int
    cases: int
    element: Optional[ElementRef] = None
    step: Optional[int] = None
    how: str = ""  # "mapping", "id", "name", "step"; for unmapped: why not


@dataclass(frozen=True)
class LogInfo:
    source: str
    format: str
    events: int
    cases: int
    bad_rows: int
    first: Optional[str]  # ISO 8601 UTC of the first event
    last: Optional[str]
    time_zones: str


@dataclass(frozen=True)
class Measurement:
    """The result of :func:`bpmncx.eventlog.measure`."""

    log: LogInfo
    persona: Optional[str]
    process_clock: Stat  # per case: first to last event of operations' elements
    customer_clock: Stat  # per case: first to last event of a journey step
    clock_ratio: Optional[float]  # median customer clock / median process clock
    steps: Tuple[StepMeasure, ...]
    elements: Tuple[ElementMeasure, ...]
    activities: Tuple[ActivityMapping, ...]  # mapped ones, most frequent first
    unmapped: Tuple[ActivityMapping, ...]  # with why, most frequent first
    survey_scores: int = 0
    survey_unmatched: int = 0  # scores naming no case, step or element we know

    def step(self, number: int) -> Optional[StepMeasure]:
        return next((s for s in self.steps if s.number == number), None)

    def element(self, ref: ElementRef) -> Optional[ElementMeasure]:
        return next((e for e in self.elements if e.element == ref), None)
