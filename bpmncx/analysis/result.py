"""What a gap analysis produces: findings and metrics, plain frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import (TYPE_CHECKING, Any, Callable, Container, Dict, FrozenSet, List, Optional,
                    Sequence, Tuple)

from .. import palette
from ..annotations import Annotations, ElementRef, Feeling, JourneyStep, Touchpoint, feeling
from ..severity import SEVERITIES, SEVERITY_RANK
from ..vocabulary import DEVICE_CHANNELS
from .journey import CurvePoint, emotion_curve, persona_names

if TYPE_CHECKING:
    from .blueprint import Sides


# The kinds of finding, in the order they are listed within one severity and step.
KINDS: Tuple[str, ...] = (
    "missing-support",
    "self-service-only",
    "not-customer-facing",
    "frontstage-unbacked",
    "unreachable-support",
    "order-mismatch",
    "channel-mismatch",
    "backstage-exposed",
    "pain-point",
    "evidence-missing",
    "visibility-crossings",
    "handoff",
    "unmapped-touchpoint",
)
KIND_RANK = {name: rank for rank, name in enumerate(KINDS)}


@dataclass(frozen=True)
class Finding:
    """One place where the journey and the process do not meet.

    ``steps`` are the journey step numbers involved (the first is ``step``);
    ``elements`` the BPMN elements involved; ``cell`` the workbook cell the
    finding comes from ("Journey!H7"), empty when there is none.
    """

    kind: str
    severity: str
    message: str
    persona: Optional[str] = None
    steps: Tuple[int, ...] = ()
    elements: Tuple[ElementRef, ...] = ()
    cell: str = ""

    @property
    def step(self) -> Optional[int]:
        return self.steps[0] if self.steps else None

    @property
    def element_ids(self) -> Tuple[str, ...]:
        return tuple(ref.element_id for ref in self.elements)

    def sort_key(self):
        return (
            SEVERITY_RANK[self.severity],
            self.step is None,
            self.steps,
            KIND_RANK.get(self.kind, len(KINDS)),
            tuple((ref.model, ref.element_id) for ref in self.elements),
            self.persona or "",
            self.message,
        )


@dataclass(frozen=True)
class Mean:
    """A mean emotion over ``count`` scores; ``mean`` is None when count is 0."""

    label: str
    mean: Optional[float]
    count: int


@dataclass(frozen=True)
class MomentOfTruth:
    """A moment of truth (a journey step or a touchpoint) and why it is at risk."""

    label: str
    step: Optional[int]
    element: Optional[ElementRef]
    kinds: Tuple[str, ...]  # the kinds of finding that put it at risk


@dataclass(frozen=True)
class Metrics:
    steps: int
    supported_steps: int
    coverage: Optional[float]  # supported_steps / steps, None without steps
    touchpoints_per_channel: Tuple[Tuple[str, int], ...]
    emotion_per_persona: Tuple[Mean, ...]
    emotion_per_stage: Tuple[Mean, ...]
    moments_of_truth: int
    moments_of_truth_at_risk: Tuple[MomentOfTruth, ...]
    handoffs: int
    findings_per_severity: Tuple[Tuple[str, int], ...]
    findings_per_kind: Tuple[Tuple[str, int], ...]
    # journey steps per device (vocabulary.DEVICES order, then as typed); steps without
    # a device are not counted, so a journey without devices has none
    steps_per_device: Tuple[Tuple[str, int], ...] = ()


@dataclass(frozen=True)
class ModelInfo:
    name: str
    path: str
    sha256: str


def channel_usable_on(channel: str, device: str) -> bool:
    """The one rule for devices: can a customer on ``device`` (the Journey's Device
    column) use ``channel`` (a touchpoint's Channel)?

    :data:`bpmncx.vocabulary.DEVICE_CHANNELS` lists the channels each device can use
    (a Mobile can use Web, Mobile app, Email, Phone, Chat, SMS/messaging, Social media;
    a Desktop cannot take a Phone call or an SMS; Paper is Post only). A blank or
    unknown device, "Other", and a channel not in the default list (the owners' own)
    are never judged: True. Case and spacing do not count.
    """
    def fold(text: str) -> str:
        return " ".join(str(text or "").split()).casefold()

    usable = {fold(d): tuple(fold(c) for c in cs) for d, cs in DEVICE_CHANNELS.items()}.get(
        fold(device))
    if usable is None:
        return True
    known = {fold(c) for cs in DEVICE_CHANNELS.values() for c in cs}
    return fold(channel) not in known or fold(channel) in usable


def supporters(step: JourneyStep, exists: Callable[[ElementRef], bool]) -> Tuple[ElementRef, ...]:
    """The elements supporting ``step`` that exist in the models analysed, each once.

    The one rule for "is this step supported?": a step none of whose elements
    exist (none named, or only stale ids) is missing from operations.
    """
    seen: List[ElementRef] = []
    for ref in step.supported_by:
        if ref not in seen and exists(ref):
            seen.append(ref)
    return tuple(seen)


@dataclass(frozen=True)
class Analysis:
    """The result of :func:`bpmncx.analyse`: sorted findings plus metrics, and the
    answers every output asks (which steps are missing, which elements are
    customer-facing, what colour an element's emotion is, which findings name it).

    ``annotations`` are the ones analysed, persona names already in the
    workbook's spelling; ``steps`` the journey steps in scope (the persona's,
    when one was asked for) in journey order; ``elements`` every element of the
    models analysed.
    """

    findings: Tuple[Finding, ...]
    metrics: Metrics
    persona: Optional[str]
    workbook: str
    models: Tuple[ModelInfo, ...]
    element_names: Dict[ElementRef, str] = field(default_factory=dict, compare=False)
    annotations: Annotations = field(default_factory=lambda: Annotations(""), compare=False,
                                     repr=False)
    steps: Tuple[JourneyStep, ...] = field(default=(), compare=False, repr=False)
    elements: Container[ElementRef] = field(default=frozenset(), compare=False, repr=False)
    touchpoints: Dict[ElementRef, Touchpoint] = field(default_factory=dict, compare=False,
                                                      repr=False)
    by_element: Dict[ElementRef, Tuple[Finding, ...]] = field(default_factory=dict,
                                                              compare=False, repr=False)
    # the blueprint rows (analysis.blueprint.Sides); None for an Analysis built by hand
    sides: Optional["Sides"] = field(default=None, compare=False, repr=False)
    # an event log measured against the same models and journey (bpmncx.eventlog's
    # Measured: the measurement, its findings, thresholds, the heat asked for); None
    # without --log. Typed loosely: the analysis layer does not know event logs.
    measured: Any = field(default=None, compare=False, repr=False)

    def with_findings(self, extra: Sequence[Finding], measured: Any = None) -> "Analysis":
        """This analysis with ``extra`` findings (an event log's) joined in: one sorted list,
        counts per severity and kind, and the findings per element, all including them."""
        findings = tuple(sorted(self.findings + tuple(extra), key=Finding.sort_key))
        kinds = [k for k, _ in self.metrics.findings_per_kind]
        kinds += sorted({f.kind for f in extra if f.kind not in kinds},
                        key=lambda k: (KIND_RANK.get(k, len(KINDS)), k))
        metrics = replace(
            self.metrics,
            findings_per_severity=tuple((s, sum(1 for f in findings if f.severity == s))
                                        for s in SEVERITIES),
            findings_per_kind=tuple((k, sum(1 for f in findings if f.kind == k)) for k in kinds))
        by_element = {ref: list(found) for ref, found in self.by_element.items()}
        for finding in extra:
            for ref in finding.elements:
                by_element.setdefault(ref, []).append(finding)
        return replace(self, findings=findings, metrics=metrics, measured=measured,
                       by_element={ref: tuple(sorted(found, key=Finding.sort_key))
                                   for ref, found in by_element.items()})

    @property
    def handoffs(self) -> int:
        return self.metrics.handoffs

    def count(self, severity: str) -> int:
        return sum(f.severity == severity for f in self.findings)

    def of_kind(self, kind: str) -> Tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.kind == kind)

    def at_or_above(self, severity: str) -> Tuple[Finding, ...]:
        """Findings as bad as ``severity`` or worse (for ``--fail-on``)."""
        limit = SEVERITY_RANK[severity]
        return tuple(f for f in self.findings if SEVERITY_RANK[f.severity] <= limit)

    def element_name(self, ref: ElementRef) -> str:
        return self.element_names.get(ref) or ref.element_id

    # -- the journey --------------------------------------------------------

    def support_of(self, step: JourneyStep) -> Tuple[ElementRef, ...]:
        """The elements of the models analysed that support ``step``."""
        return supporters(step, self.elements.__contains__)

    def is_missing(self, step: JourneyStep) -> bool:
        """Whether ``step`` is missing from operations: no element analysed supports it."""
        return not self.support_of(step)

    def is_self_service(self, step: JourneyStep) -> bool:
        """Whether ``step`` is supported only on the customer's own side: the customer does
        it alone (the self-service-only finding); such a step does not count as covered."""
        support = self.support_of(step)
        return bool(support) and all(self.is_customer_side(ref) for ref in support)

    def is_covered(self, step: JourneyStep) -> bool:
        """Whether operations support ``step`` (the journey coverage counts these)."""
        return any(not self.is_customer_side(ref) for ref in self.support_of(step))

    def missing_steps(self) -> Tuple[JourneyStep, ...]:
        """The steps in scope that are missing from operations, in journey order."""
        return tuple(s for s in self.steps if self.is_missing(s))

    # -- elements -----------------------------------------------------------

    def findings_for(self, ref: ElementRef) -> Tuple[Finding, ...]:
        """The findings naming ``ref``, worst first."""
        return self.by_element.get(ref, ())

    @cached_property
    def _by_model(self) -> "_ModelIndex":
        """Rows and findings per model, indexed once: outputs ask model by model, and
        a batch over N models must not scan everything N times."""
        return _ModelIndex(self)

    def findings_of_model(self, model: str, journey_only: bool = True) -> Tuple[Finding, ...]:
        """The findings naming an element of ``model``, plus (``journey_only``) those
        about the journey alone, which name no element; worst first."""
        index = self._by_model
        positions = index.findings.get(model, [])
        if journey_only:
            positions = sorted(positions + index.journey_findings)
        return tuple(self.findings[i] for i in positions)

    def element_findings(self, model: str) -> List[Tuple[ElementRef, Tuple[Finding, ...]]]:
        """(element, its findings) for every element of ``model`` a finding names."""
        return self._by_model.elements.get(model, [])

    def touchpoint_rows(self, model: str) -> List[Touchpoint]:
        """Every Touchpoints row of ``model``, in workbook order."""
        return self._by_model.rows.get(model, [])

    def touchpoint(self, ref: ElementRef) -> Optional[Touchpoint]:
        """The Touchpoints row of an element analysed (the first, if several)."""
        return self.touchpoints.get(ref)

    # -- the service blueprint ----------------------------------------------

    def blueprint_row(self, ref: ElementRef) -> str:
        """The blueprint row of an element: customer, frontstage, backstage or support
        (its own setting, else its lane's, else its pool's, else the suggestion)."""
        return self.sides.row(ref) if self.sides is not None else "backstage"

    def is_customer_side(self, ref: ElementRef) -> bool:
        """Whether the customer does this element themselves (its blueprint row is customer)."""
        return self.blueprint_row(ref) == "customer"

    def visibility_crossings(self, step: JourneyStep) -> Tuple[Tuple[ElementRef, ElementRef], ...]:
        """The flows among ``step``'s supporting elements and the work behind it that cross
        the line of visibility."""
        if self.sides is None:
            return ()
        position = self._step_position.get(id(step))
        if position is None:
            return tuple(self.sides.crossings(self.support_of(step)))
        return tuple(self.sides.step_crossings(self._supports, position))

    @cached_property
    def _supports(self) -> Tuple[Tuple[ElementRef, ...], ...]:
        return tuple(self.support_of(s) for s in self.steps)

    @cached_property
    def _step_position(self) -> Dict[int, int]:
        return {id(step): position for position, step in enumerate(self.steps)}

    def work_behind(self, step: JourneyStep) -> Tuple[ElementRef, ...]:
        """The operations' work ``step`` sets going that supports no step itself (what the
        blueprint shows under the step; see :func:`~bpmncx.analysis.blueprint.work_behind`)."""
        position = self._step_position.get(id(step))
        if self.sides is None or position is None:
            return ()
        return self.sides.behind(self._supports)[position]

    def handoffs_into(self, step: JourneyStep) -> int:
        """How many hand-offs end at ``step`` (the customer passed on just before it)."""
        return sum(1 for f in self.findings
                   if f.kind == "handoff" and len(f.steps) > 1 and f.steps[-1] == step.number)

    def is_customer_facing(self, ref: ElementRef) -> bool:
        tp = self.touchpoints.get(ref)
        return tp is not None and tp.is_customer_facing

    def feeling(self, ref: ElementRef, persona: Optional[str] = None) -> Feeling:
        """The emotion at ``ref`` of ``persona`` (default: the analysis's persona;
        without one, the lowest across personas)."""
        tp = self.touchpoints.get(ref)
        if tp is None:
            return Feeling(None, ())
        return self.touchpoint_feeling(tp, persona)

    def touchpoint_feeling(self, tp: Touchpoint, persona: Optional[str] = None) -> Feeling:
        """The emotion at a Touchpoints row of ``persona`` (default: the analysis's); without
        one, the lowest of the personas the product is for (a negative persona's low score
        must not paint the element red)."""
        persona = persona if persona is not None else self.persona
        if persona is None and self._negative:
            counted = {n: s for n, s in tp.emotions.items() if n not in self._negative}
            return feeling(counted or tp.emotions, None)
        return feeling(tp.emotions, persona)

    @cached_property
    def _negative(self) -> frozenset:
        return frozenset(self.annotations.negative_personas())

    def is_negative(self, persona: str) -> bool:
        """Whether ``persona`` is one the product is not meant for (shown apart)."""
        return persona in self._negative

    def emotion_fill(self, ref: ElementRef, persona: Optional[str] = None) -> Optional[str]:
        """The fill of a customer-facing element (by its emotion); None when the
        element is not customer-facing and keeps the modeller's colours."""
        tp = self.touchpoints.get(ref)
        return self.touchpoint_fill(tp, persona) if tp is not None else None

    def touchpoint_fill(self, tp: Touchpoint, persona: Optional[str] = None) -> Optional[str]:
        """The fill of a Touchpoints row's element: its emotion's colour for ``persona``
        (default: the analysis's; without one the lowest), None when not customer-facing."""
        if not tp.is_customer_facing:
            return None
        return palette.emotion_fill(self.touchpoint_feeling(tp, persona).score)

    @cached_property
    def _personas(self) -> List[str]:
        return persona_names(self.annotations)

    def all_personas(self) -> List[str]:
        """Every persona of the workbook (the default one when it names none)."""
        return list(self._personas)

    def personas(self) -> List[str]:
        """The personas this analysis shows: its own, else every persona of the workbook."""
        return [self.persona] if self.persona else self.all_personas()

    @cached_property
    def _curves(self) -> Dict[str, List[CurvePoint]]:
        return {}

    def curve(self, persona: str) -> List[CurvePoint]:
        """``persona``'s emotion at each of its journey steps (see :func:`emotion_curve`)."""
        if persona not in self._curves:
            self._curves[persona] = emotion_curve(self.annotations, persona, self.touchpoints)
        return list(self._curves[persona])

    def customer_facing(self, model: str) -> List[Touchpoint]:
        """The customer-facing touchpoints of one model (one per element), in workbook order."""
        return [tp for tp in self.touchpoint_rows(model)
                if tp.is_customer_facing and self.touchpoints.get(tp.ref) is tp]


class _ModelIndex:
    """An analysis's rows and findings grouped by model (positions keep their order)."""

    def __init__(self, analysis: Analysis):
        self.rows: Dict[str, List[Touchpoint]] = {}
        for tp in analysis.annotations.touchpoints:
            self.rows.setdefault(tp.model, []).append(tp)
        self.findings: Dict[str, List[int]] = {}
        self.journey_findings: List[int] = []
        for position, finding in enumerate(analysis.findings):
            if not finding.elements:
                self.journey_findings.append(position)
            for model in dict.fromkeys(ref.model for ref in finding.elements):
                self.findings.setdefault(model, []).append(position)
        self.elements: Dict[str, List[Tuple[ElementRef, Tuple[Finding, ...]]]] = {}
        for ref, found in analysis.by_element.items():
            self.elements.setdefault(ref.model, []).append((ref, found))
