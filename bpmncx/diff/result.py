"""What comparing two versions produces: plain frozen dataclasses.

One :class:`ModelDiff` per model file compared; a :class:`Diff` holds them all.
A visual diff needs only :attr:`ProcessDiff.elements` (ids added, changed,
removed, with the old bounds of removed ones) and
:meth:`JourneyDiff.support_changed` (the steps whose support changed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Tuple

from ..analysis import Analysis, Finding, Mean, MomentOfTruth
from ..analysis.result import SEVERITY_RANK
from ..annotations import Annotations
from ..model import Bounds, Model

# -- the process ----------------------------------------------------------------

ELEMENT_CHANGES = ("removed", "added", "changed")
ASPECTS = ("renamed", "retyped", "moved")  # how a matched element changed


@dataclass(frozen=True)
class ElementState:
    """One element (flow node, pool or lane) as one version has it."""

    id: str
    kind: str  # BPMN tag name: userTask, exclusiveGateway, participant, lane ...
    name: str  # whitespace tidied
    pool: str  # the pool's (else the process's) name, "" for a pool itself
    lane: str  # the innermost lane's name, "" when in no lane
    bounds: Optional[Bounds]  # on the diagram, None without a layout


@dataclass(frozen=True)
class ElementChange:
    """An element added, removed, or matched across versions and changed."""

    change: str  # "added" | "removed" | "changed"
    old: Optional[ElementState]
    new: Optional[ElementState]
    aspects: Tuple[str, ...] = ()  # for "changed": some of ASPECTS, in that order

    @property
    def id(self) -> str:
        """The element's id in the newer version it exists in."""
        return (self.new or self.old).id


@dataclass(frozen=True)
class FlowChange:
    """A sequence or message flow added or removed (matched by its ends, not its id)."""

    change: str  # "added" | "removed"
    kind: str  # "sequenceFlow" | "messageFlow"
    id: str
    name: str
    source_id: str
    source: str  # name of the source element, else its id
    target_id: str
    target: str


@dataclass(frozen=True)
class ProcessDiff:
    elements: Tuple[ElementChange, ...]  # removed, added, changed; each in model order
    flows: Tuple[FlowChange, ...]  # removed, then added
    # (old id, new id) of elements matched by name and position because the
    # exporter gave them new ids: the same element, not a change.
    regenerated_ids: Tuple[Tuple[str, str], ...]

    def of_change(self, change: str) -> Tuple[ElementChange, ...]:
        return tuple(e for e in self.elements if e.change == change)

    @property
    def is_empty(self) -> bool:
        return not self.elements and not self.flows


# -- the journey ----------------------------------------------------------------

STEP_ASPECTS = ("reworded", "moved", "repointed", "stage", "channel", "persona",
                "emotion", "moment-of-truth")


@dataclass(frozen=True)
class StepState:
    """One journey step as one version has it."""

    number: int
    text: str  # the Customer step, whitespace tidied
    stage: str
    channel: str
    persona: str  # "" when the step is every persona's
    emotion: Optional[int]
    moment_of_truth: bool
    supported_by: Tuple[str, ...]  # element ids (of this version's model)
    supported_by_names: Tuple[str, ...]


@dataclass(frozen=True)
class StepChange:
    change: str  # "added" | "removed" | "changed"
    old: Optional[StepState]
    new: Optional[StepState]
    aspects: Tuple[str, ...] = ()  # for "changed": some of STEP_ASPECTS, in that order


@dataclass(frozen=True)
class EmotionChange:
    """One persona's emotion on a step or touchpoint, before and after."""

    where: str  # "step" | "touchpoint"
    label: str  # the step's text, or the touchpoint element's name
    step: Optional[int]  # the step's number in the new journey
    element_id: Optional[str]  # the touchpoint's element id in the new model
    persona: Optional[str]  # None: a step without persona, felt by everyone
    old: Optional[int]
    new: Optional[int]


@dataclass(frozen=True)
class JourneyDiff:
    steps: Tuple[StepChange, ...]  # removed, added, changed
    emotions: Tuple[EmotionChange, ...]  # steps first (journey order), then touchpoints

    def support_changed(self) -> Tuple[StepChange, ...]:
        """Steps added or removed with support, and matched steps re-pointed."""
        return tuple(
            s for s in self.steps
            if "repointed" in s.aspects
            or (s.change in ("added", "removed") and (s.new or s.old).supported_by)
        )

    @property
    def is_empty(self) -> bool:
        return not self.steps and not self.emotions


# -- the consequences -----------------------------------------------------------

FINDING_CHANGES = ("new", "worse", "better", "resolved", "unchanged")


@dataclass(frozen=True)
class FindingChange:
    """A finding of the old or new analysis and what became of it."""

    change: str  # "new" | "resolved" | "unchanged" | "worse" | "better" (severity)
    old: Optional[Finding]
    new: Optional[Finding]

    @property
    def finding(self) -> Finding:
        return self.new or self.old


@dataclass(frozen=True)
class StageEmotion:
    stage: str
    old: Optional[Mean]
    new: Optional[Mean]


@dataclass(frozen=True)
class Consequences:
    """What the change does to the customer: the gap analyses before and after."""

    old: Analysis
    new: Analysis
    findings: Tuple[FindingChange, ...]  # new, worse, better, resolved, unchanged
    emotion_per_stage: Tuple[StageEmotion, ...]
    moments_newly_at_risk: Tuple[MomentOfTruth, ...]
    moments_no_longer_at_risk: Tuple[MomentOfTruth, ...]

    def of_change(self, *changes: str) -> Tuple[FindingChange, ...]:
        return tuple(f for f in self.findings if f.change in changes)

    def introduced(self, severity: str) -> Tuple[Finding, ...]:
        """Findings at ``severity`` or worse that the change brought: new ones, and
        known ones that became that bad (for ``--fail-on new-critical``)."""
        limit = SEVERITY_RANK[severity]
        out = []
        for item in self.findings:
            if item.new is None or SEVERITY_RANK[item.new.severity] > limit:
                continue
            if item.change == "new" or (
                    item.change == "worse" and SEVERITY_RANK[item.old.severity] > limit):
                out.append(item.new)
        return tuple(out)


# -- the whole comparison ------------------------------------------------------


@dataclass(frozen=True)
class Side:
    """One version of a model file: where it was read from."""

    file: str  # as shown to people: "claims/claim.bpmn" or "HEAD:claims/claim.bpmn"
    sha256: str
    workbook: Optional[str]  # the workbook (or annotated BPMN) read with it, as shown


@dataclass(frozen=True)
class ModelDiff:
    model: str  # the model's name (file stem)
    old: Optional[Side]  # None: the model is new
    new: Optional[Side]  # None: the model was deleted
    process: ProcessDiff
    journey: Optional[JourneyDiff]  # None when neither version has a workbook
    consequences: Optional[Consequences]
    # The new version's annotations (for drawing its journey); None without a workbook.
    new_annotations: Optional[Annotations] = field(default=None, compare=False, repr=False)
    # The new version's model (for drawing the visual diff); None when it was deleted.
    new_model: Optional[Model] = field(default=None, compare=False, repr=False)

    def introduced(self, severity: str) -> Tuple[Finding, ...]:
        return self.consequences.introduced(severity) if self.consequences else ()


@dataclass(frozen=True)
class Diff:
    """Every model compared between two versions (two files, or two git revisions)."""

    old: str  # "HEAD", "v1.2", or the old model file
    new: str  # "working tree", a revision, or the new model file
    models: Tuple[ModelDiff, ...]  # those that changed, in path order
    unchanged: Tuple[str, ...] = ()  # files identical in both versions (with their workbooks)

    def introduced(self, severity: str) -> Tuple[Finding, ...]:
        return tuple(f for m in self.models for f in m.introduced(severity))
