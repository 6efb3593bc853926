"""What a gap analysis produces: findings and metrics, plain frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Optional, Tuple

from ..annotations import ElementRef

SEVERITIES: Tuple[str, ...] = ("critical", "warning", "info")  # worst first
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}

# The kinds of finding, in the order they are listed within one severity and step.
KINDS: Tuple[str, ...] = (
    "missing-support",
    "not-customer-facing",
    "unreachable-support",
    "order-mismatch",
    "channel-mismatch",
    "pain-point",
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


@dataclass(frozen=True)
class ModelInfo:
    name: str
    path: str
    sha256: str


@dataclass(frozen=True)
class Analysis:
    """The result of :func:`bpmncx.analyse`: sorted findings plus metrics."""

    findings: Tuple[Finding, ...]
    metrics: Metrics
    persona: Optional[str]
    workbook: str
    models: Tuple[ModelInfo, ...]
    element_names: Dict[ElementRef, str] = field(default_factory=dict, compare=False)

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
