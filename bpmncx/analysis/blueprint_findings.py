"""The findings of the service blueprint: where the line of visibility breaks.

One function per kind, reading the shared context like :mod:`.findings`; the rows
come from :class:`~bpmncx.analysis.blueprint.Sides`, the one rule.
"""

from __future__ import annotations

from typing import Dict, List, Set

from ..annotations import ElementRef, JourneyStep
from ..severity import at_moment
from .blueprint import BACKSTAGE, CUSTOMER, FRONTSTAGE, SUPPORT
from .context import Context
from .result import Finding

BELOW = (BACKSTAGE, SUPPORT)  # below the line of visibility


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _where(ctx: Context, ref: ElementRef) -> str:
    owner = ctx.owner(ref)
    return owner.label


def _steps_of(ctx: Context) -> Dict[ElementRef, List[JourneyStep]]:
    found: Dict[ElementRef, List[JourneyStep]] = {}
    for step in ctx.steps:
        for ref in ctx.support(step):
            found.setdefault(ref, []).append(step)
    return found


def _customer_contact(ctx: Context, ref: ElementRef) -> str:
    """How an element deals with the customer directly ('' when it does not): a message
    flow with the customer's side, or the owners' customer-facing mark."""
    model = ctx.models[ref.model]
    for flow in model.message_flows_at.get(ref.element_id, ()):
        other = flow.target_id if flow.source_id == ref.element_id else flow.source_id
        if other in model.participant:
            row = ctx.sides.participant_row(ref.model, other)
        elif other in model.node:
            row = ctx.sides.row(ElementRef(ref.model, other))
        else:
            continue
        if row == CUSTOMER:
            verb = "sends a message to" if flow.source_id == ref.element_id else \
                "receives a message from"
            return f"{verb} the customer"
    if ctx.is_customer_facing(ref):
        return "is marked customer-facing"
    return ""


def backstage_exposed(ctx: Context) -> List[Finding]:
    """A backstage or support element that deals with the customer directly."""
    steps_of = _steps_of(ctx)
    found = []
    for model in ctx.models.values():
        for node in model.nodes:
            ref = ElementRef(model.name, node.id)
            row = ctx.sides.row(ref)
            if row not in BELOW:
                continue
            contact = _customer_contact(ctx, ref)
            if not contact:
                continue
            steps = steps_of.get(ref, [])
            tp = ctx.touchpoints.get(ref)
            moment = (tp is not None and tp.moment_of_truth) or any(s.moment_of_truth for s in steps)
            said_moment = ", a moment of truth," if moment else ""
            personas = {ctx.step_persona(s) for s in steps}
            found.append(Finding(
                kind="backstage-exposed",
                severity=at_moment(moment),
                message=(f"{ctx.element_label(ref)}{said_moment} in {_where(ctx, ref)} is {row} "
                         f"work but {contact}: the customer is pulled behind the line of "
                         "visibility."),
                persona=personas.pop() if len(personas) == 1 else None,
                steps=tuple(s.number for s in steps),
                elements=(ref,),
                cell=_side_cell(ctx, ref, tp),
            ))
    return found


def _side_cell(ctx: Context, ref: ElementRef, tp) -> str:
    """Where the element's row was set: its lane's or pool's Pools and lanes cell when the
    owners set one there (and not on the element), else its Touchpoints row."""
    if tp is not None and tp.blueprint_row:
        return tp.cell
    owner = ctx.owner(ref)
    for band_id in (owner.lane_id, owner.pool_id):
        cell = ctx.annotations.side_cells.get((ref.model, band_id or ""))
        if cell:
            return cell
    return tp.cell if tp is not None else ""


def _neighbours(ctx: Context, model_name: str) -> Dict[str, Set[str]]:
    """Element id -> the elements a flow, an attachment or nesting joins it to (both ways)."""
    model = ctx.models[model_name]
    joined: Dict[str, Set[str]] = {}

    def join(a, b):
        if a in model.node and b in model.node:
            joined.setdefault(a, set()).add(b)
            joined.setdefault(b, set()).add(a)

    for flow in model.connections:
        if flow.kind in ("sequenceFlow", "messageFlow"):
            join(flow.source_id, flow.target_id)
    for node in model.nodes:
        join(node.id, node.attached_to)
        join(node.id, node.parent_id)
    return joined


def _backed(ctx: Context, ref: ElementRef, joined: Dict[str, Set[str]]) -> bool:
    """Whether a backstage or support element is joined to ``ref`` by flows that stay on
    the organisation's side (a path through the customer's own steps does not count)."""
    seen = {ref.element_id}
    stack = [ref.element_id]
    while stack:
        for other in sorted(joined.get(stack.pop(), ())):
            if other in seen:
                continue
            seen.add(other)
            row = ctx.sides.row(ElementRef(ref.model, other))
            if row in BELOW:
                return True
            if row != CUSTOMER:
                stack.append(other)
    return False


def frontstage_unbacked(ctx: Context) -> List[Finding]:
    """A frontstage element supporting a step with nothing backstage behind it."""
    joined: Dict[str, Dict[str, Set[str]]] = {}
    found = []
    for ref, steps in _steps_of(ctx).items():
        if ctx.sides.row(ref) != FRONTSTAGE:
            continue
        if ref.model not in joined:
            joined[ref.model] = _neighbours(ctx, ref.model)
        if _backed(ctx, ref, joined[ref.model]):
            continue
        moment = any(s.moment_of_truth for s in steps)
        labels = [ctx.step_label(s) for s in steps]
        personas = {ctx.step_persona(s) for s in steps}
        found.append(Finding(
            kind="frontstage-unbacked",
            severity=at_moment(moment),
            message=_cap(f"{ctx.element_label(ref)} faces the customer at {', '.join(labels)}, "
                         "but no backstage or support work is connected to it: a promise "
                         "nobody fulfils."),
            persona=personas.pop() if len(personas) == 1 else None,
            steps=tuple(s.number for s in steps),
            elements=(ref,),
            cell=steps[0].supported_by_cell or steps[0].cell,
        ))
    return found


def visibility_crossings(ctx: Context) -> List[Finding]:
    """A step whose supporting elements cross the line of visibility too often."""
    found = []
    support = tuple(ctx.support(step) for step in ctx.steps)  # one journey: one object
    for position, step in enumerate(ctx.steps):
        crossed = ctx.sides.step_crossings(support, position)
        if len(crossed) <= ctx.max_crossings:
            continue
        moment = ", a moment of truth," if step.moment_of_truth else ""
        pairs = "; ".join(f"{ctx.name(a)} \u2192 {ctx.name(b)}" for a, b in crossed)
        elements: List[ElementRef] = []
        for a, b in crossed:
            elements += [r for r in (a, b) if r not in elements]
        found.append(Finding(
            kind="visibility-crossings",
            severity=at_moment(step.moment_of_truth, "info"),
            message=_cap(f"{ctx.step_label(step)}{moment} crosses the line of visibility "
                         f"{len(crossed)} times ({pairs}): effort the customer can see."),
            persona=ctx.step_persona(step),
            steps=(step.number,),
            elements=tuple(elements),
            cell=step.supported_by_cell or step.cell,
        ))
    return found


def evidence_missing(ctx: Context) -> List[Finding]:
    """A moment of truth the customer takes nothing away from."""
    found = []
    for step in ctx.steps:
        if not step.moment_of_truth or step.evidence.strip():
            continue
        found.append(Finding(
            kind="evidence-missing",
            severity="warning",
            message=_cap(f"{ctx.step_label(step)} is a moment of truth but has no physical "
                         "evidence: nothing the customer sees or gets shows it happened."),
            persona=ctx.step_persona(step),
            steps=(step.number,),
            elements=ctx.support(step),
            cell=step.evidence_cell or step.cell,
        ))
    return found


RULES = (backstage_exposed, frontstage_unbacked, visibility_crossings, evidence_missing)
