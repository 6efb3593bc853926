"""The facts every finding needs, looked up once: scope, supports, owners, names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from ..annotations import Annotations, ElementRef, JourneyStep, Touchpoint
from ..errors import BpmncxError
from ..model import FlowNode, Model
from .blueprint import CUSTOMER, Sides
from .reachability import Reachability
from .result import supporters


class _Elements:
    """Every element of the models analysed, as a container of ElementRefs
    (looked up in the models' own indexes: no copy of them)."""

    def __init__(self, models: Dict[str, Model]):
        self._models = models

    def __contains__(self, ref: object) -> bool:
        if not isinstance(ref, ElementRef):
            return False
        model = self._models.get(ref.model)
        return model is not None and ref.element_id in model.node


class AnalysisError(BpmncxError):
    """The analysis was asked for something the inputs do not hold (an unknown persona)."""


@dataclass(frozen=True)
class Owner:
    """Who carries out an element: a lane (innermost) of a pool, or a pool."""

    model: str
    pool_id: str
    pool_name: str
    lane_id: Optional[str]
    lane_name: str
    is_customer: bool  # the pool or lane is the customer's own side

    @property
    def label(self) -> str:
        pool = " ".join(self.pool_name.split())
        if self.lane_id:
            return f"{' '.join(self.lane_name.split())} ({pool})"
        return pool


class Context:
    """Scope and lookups shared by the finding rules and the metrics."""

    def __init__(self, models: Sequence[Model], annotations: Annotations,
                 persona: Optional[str], max_crossings: int = 2):
        self.annotations = annotations
        self.models: Dict[str, Model] = {}
        for model in models:
            self.models.setdefault(model.name, model)
        self.known_personas = annotations.known_personas()
        # who the product is not for: their emotions are never a pain point
        self.negative = set(annotations.negative_personas())
        self.elements = _Elements(self.models)
        self.persona = annotations.resolve_persona(persona)
        self.touchpoints: Dict[ElementRef, Touchpoint] = {}
        for tp in annotations.touchpoints:
            if self.node(tp.ref) is not None:
                self.touchpoints.setdefault(tp.ref, tp)
        journey = sorted(annotations.journey, key=lambda s: (s.number, s.row))
        self.steps: List[JourneyStep] = [s for s in journey if self._in_scope(s)]
        self.all_steps: List[JourneyStep] = journey
        self._reach: Dict[str, Reachability] = {}
        self._support: Dict[int, Tuple[ElementRef, ...]] = {}
        self.max_crossings = max_crossings
        self.sides = Sides(self.models, annotations, self.is_customer_facing)

    # -- personas -----------------------------------------------------------

    def _in_scope(self, step: JourneyStep) -> bool:
        if self.persona is None or not step.persona.strip():
            return True
        return step.persona == self.persona

    def step_persona(self, step: JourneyStep) -> Optional[str]:
        """The persona living the step: its own, else the one asked for, else the only one."""
        if step.persona.strip():
            return step.persona
        if self.persona is not None:
            return self.persona
        if len(self.known_personas) == 1:
            return self.known_personas[0]
        return None

    def personas_in_scope(self) -> List[str]:
        return [self.persona] if self.persona is not None else list(self.known_personas)

    def tracks(self) -> List[List[JourneyStep]]:
        """The journey in order: one sequence of steps (only the persona's, when asked).

        The Journey sheet is one journey; its Persona column says whose step it
        is, so consecutive steps are consecutive rows whatever their persona.
        """
        return [self.steps]

    # -- elements -------------------------------------------------------------

    def is_customer_facing(self, ref: ElementRef) -> bool:
        tp = self.touchpoints.get(ref)
        return tp is not None and tp.is_customer_facing

    def node(self, ref: ElementRef) -> Optional[FlowNode]:
        model = self.models.get(ref.model)
        return model.node.get(ref.element_id) if model is not None else None

    def name(self, ref: ElementRef) -> str:
        node = self.node(ref)
        if node is not None and node.name.strip():
            return " ".join(node.name.split())  # names often hold line breaks
        tp = self.touchpoints.get(ref)
        if tp is not None and tp.element_name.strip():
            return " ".join(tp.element_name.split())
        return ref.element_id

    def support(self, step: JourneyStep) -> Tuple[ElementRef, ...]:
        """The elements supporting a step that exist in the models analysed."""
        key = id(step)
        if key not in self._support:
            self._support[key] = supporters(step, self.elements.__contains__)
        return self._support[key]

    def operations_support(self, step: JourneyStep) -> Tuple[ElementRef, ...]:
        """The step's supporters in operations: not on the customer's own side (a task in
        the customer's pool or lane is the customer acting alone)."""
        return tuple(ref for ref in self.support(step) if not self.owner(ref).is_customer)

    def reachability(self, model_name: str) -> Reachability:
        if model_name not in self._reach:
            self._reach[model_name] = Reachability(self.models[model_name])
        return self._reach[model_name]

    def owner(self, ref: ElementRef) -> Owner:
        model = self.models[ref.model]
        node = model.node[ref.element_id]
        # Boundary events and the content of sub-processes are rarely listed in a
        # lane: they belong to the lane of what they are attached to / sit in.
        lanes = model.effective_lane_path(node)
        lane = lanes[-1] if lanes else None
        pool = model.pool_of(node)
        pool_id = pool.id if pool is not None else node.process_id
        pool_name = model.pool_label(node)
        lane_name = (lane.name.strip() or lane.id) if lane is not None else ""
        return Owner(
            model=ref.model,
            pool_id=pool_id,
            pool_name=pool_name,
            lane_id=lane.id if lane is not None else None,
            lane_name=lane_name,
            is_customer=self.sides.row(ref) == CUSTOMER,
        )

    # -- labels for messages --------------------------------------------------

    def step_label(self, step: JourneyStep) -> str:
        text = " ".join(step.customer_step.split())
        return f'step {step.number} "{text}"' if text else f"step {step.number}"

    def element_label(self, ref: ElementRef) -> str:
        return f'"{self.name(ref)}"'

    def elements_label(self, refs: Sequence[ElementRef]) -> str:
        labels = [self.element_label(r) for r in refs]
        if len(labels) <= 1:
            return "".join(labels)
        return ", ".join(labels[:-1]) + " and " + labels[-1]
