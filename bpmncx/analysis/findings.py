"""The finding rules: one function per kind, each reading the shared context.

Every rule returns findings in no particular order; :func:`bpmncx.analyse`
sorts them. Messages are one sentence a business owner understands.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence, Set, Tuple

from ..annotations import ElementRef, JourneyStep
from ..vocabulary import EMOTION_BY_SCORE
from ..severity import at_moment
from .context import Context, Owner
from .result import Finding, channel_usable_on


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _feeling(score: int) -> str:
    emotion = EMOTION_BY_SCORE.get(max(-2, min(2, score)))
    label = emotion.label if emotion else "negative"
    return f"{label} ({score:+d})"


def _step_cell(step: JourneyStep) -> str:
    return step.supported_by_cell or step.cell


def _steps_label(ctx: Context, steps: Sequence[JourneyStep]) -> str:
    labels = [ctx.step_label(s) for s in steps]
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + " and " + labels[-1]


def _pair_persona(ctx: Context, first: JourneyStep, second: JourneyStep) -> Optional[str]:
    """The persona two consecutive steps share; None when they are different people's."""
    one, other = ctx.step_persona(first), ctx.step_persona(second)
    if first.persona.strip() and second.persona.strip():
        return one if one == other else None
    if first.persona.strip():
        return one
    return other


# -- kinds ---------------------------------------------------------------------


def missing_support(ctx: Context) -> List[Finding]:
    found = []
    for step in ctx.steps:
        if ctx.support(step):
            continue
        critical = step.moment_of_truth
        moment = ", a moment of truth," if critical else ""
        gone = [r for r in step.supported_by if ctx.node(r) is None]
        if gone:
            ids = ", ".join(sorted({r.element_id for r in gone}))
            why = f"the elements it names ({ids}) are not in the models analysed"
        else:
            why = "no task or event carries it out for the customer"
        found.append(Finding(
            kind="missing-support",
            severity="critical" if critical else "warning",
            message=_cap(f"{ctx.step_label(step)}{moment} has no support in the process: {why}."),
            persona=ctx.step_persona(step),
            steps=(step.number,),
            elements=tuple(gone),
            cell=_step_cell(step),
        ))
    return found


def self_service_only(ctx: Context) -> List[Finding]:
    """Steps supported only by the customer's own pool or lane: nobody in operations backs
    them, which the customer notices the moment something goes wrong."""
    found = []
    for step in ctx.steps:
        refs = ctx.support(step)
        if not refs or ctx.operations_support(step):
            continue
        critical = step.moment_of_truth
        moment = ", a moment of truth," if critical else ""
        sides = " and ".join(sorted({ctx.owner(r).label for r in refs}))
        found.append(Finding(
            kind="self-service-only",
            severity="critical" if critical else "warning",
            message=_cap(f"{ctx.step_label(step)}{moment} is supported only by "
                         f"{ctx.elements_label(refs)} on the customer's own side ({sides}): the "
                         "customer does this alone; nothing in operations backs it."),
            persona=ctx.step_persona(step),
            steps=(step.number,),
            elements=refs,
            cell=_step_cell(step),
        ))
    return found


def unmapped_touchpoints(ctx: Context) -> List[Finding]:
    mentioned: Set[ElementRef] = set()
    for step in ctx.all_steps:  # any persona's journey counts
        mentioned.update(step.supported_by)
    found = []
    for ref, tp in ctx.touchpoints.items():
        if not tp.is_customer_facing or ref in mentioned:
            continue
        channel = f" ({tp.channel.strip()})" if tp.channel.strip() else ""
        moment = ", a moment of truth," if tp.moment_of_truth else ""
        found.append(Finding(
            kind="unmapped-touchpoint",
            severity=at_moment(tp.moment_of_truth, "info"),
            message=(f"{ctx.element_label(ref)}{channel}{moment} is marked customer-facing "
                     "but no journey step mentions it: the journey was not designed around it."),
            elements=(ref,),
            cell=tp.cell_of("customer_facing"),
        ))
    return found


def pain_points(ctx: Context) -> List[Finding]:
    """Negative emotions, per step and per persona at each touchpoint.

    A pain point typed without any negative emotion is still reported, as info:
    the owner saw something hurt even if the feeling was not scored.
    """
    found = []
    for step in ctx.steps:
        persona = ctx.step_persona(step)
        if persona in ctx.negative:
            continue  # a negative persona's feelings are shown, never a finding
        moment = ", a moment of truth" if step.moment_of_truth else ""
        pain = " ".join(step.pain_point.split())
        if step.emotion is not None and step.emotion <= -1:
            critical = step.moment_of_truth or step.emotion <= -2
            because = f": {pain}" if pain else ""
            who = persona or "The customer"
            message = f"{who} feels {_feeling(step.emotion)} at {ctx.step_label(step)}{moment}{because}."
            severity = "critical" if critical else "warning"
        elif pain:
            message = _cap(f"{ctx.step_label(step)}{moment} has a pain point but no negative "
                           f"emotion: {pain}.")
            severity = "info"
        else:
            continue
        found.append(Finding(
            kind="pain-point",
            severity=severity,
            message=message,
            persona=persona,
            steps=(step.number,),
            elements=ctx.support(step),
            cell=step.cell_of("emotion" if severity != "info" else "pain_point"),
        ))
    steps_of: Dict[ElementRef, List[int]] = {}
    for step in ctx.steps:
        for ref in ctx.support(step):
            steps_of.setdefault(ref, []).append(step.number)
    for ref, tp in ctx.touchpoints.items():
        moment = ", a moment of truth" if tp.moment_of_truth else ""
        pain = " ".join(tp.pain_point.split())
        because = f": {pain}" if pain else ""
        steps = tuple(steps_of.get(ref, ()))
        # the typed pain is some persona's when any persona scored it negative
        negative = any(score is not None and score <= -1 for score in tp.emotions.values())
        for persona, score in sorted(tp.emotions.items()):
            if ctx.persona is not None and persona != ctx.persona:
                continue
            if persona in ctx.negative:
                continue  # shown apart, never a pain point
            if score is None or score > -1:
                continue
            critical = tp.moment_of_truth or score <= -2
            found.append(Finding(
                kind="pain-point",
                severity="critical" if critical else "warning",
                message=f"{persona} feels {_feeling(score)} at {ctx.element_label(ref)}{moment}{because}.",
                persona=persona,
                steps=steps,
                elements=(ref,),
                cell=tp.cell_of(f"emotion:{persona}"),
            ))
        if pain and not negative:
            found.append(Finding(
                kind="pain-point",
                severity="info",
                message=(f"{ctx.element_label(ref)}{moment} has a pain point but no negative "
                         f"emotion: {pain}."),
                persona=ctx.persona,
                steps=steps,
                elements=(ref,),
                cell=tp.cell_of("pain_point"),
            ))
    return found


def channel_mismatches(ctx: Context) -> List[Finding]:
    """A step whose customer-facing support answers by another channel than the step's,
    or by no channel usable on the step's device (:func:`channel_usable_on`)."""
    found = []
    for step in ctx.steps:
        expected = " ".join(step.channel.split())
        device = " ".join(step.device.split())
        if not expected and not device:
            continue
        offered = []
        for ref in ctx.support(step):
            tp = ctx.touchpoints.get(ref)
            if tp is None or not tp.is_customer_facing or not tp.channel.strip():
                continue
            offered.append((ref, " ".join(tp.channel.split())))
        if not offered:
            continue
        channel_fits = not expected or any(_same(expected, channel) for _, channel in offered)
        device_fits = any(channel_usable_on(channel, device) for _, channel in offered)
        if channel_fits and device_fits:
            continue
        by = "; ".join(f"{ctx.element_label(ref)} by {channel}" for ref, channel in offered)
        if device_fits:  # the channel alone
            on = f" on {device}" if device else ""
            message = (f"{ctx.step_label(step)} happens by {expected}{on} for the customer, "
                       f"but operations answers {by}.")
            cell = step.cell_of("channel")
        else:
            how = f"by {expected} on {device}" if expected else f"on {device}"
            message = (f"{ctx.step_label(step)} happens {how} for the customer, but operations "
                       f"answers {by}, which cannot be used on {device}.")
            cell = step.cell_of("device")
        found.append(Finding(
            kind="channel-mismatch",
            severity="warning",
            message=_cap(message),
            persona=ctx.step_persona(step),
            steps=(step.number,),
            elements=tuple(ref for ref, _ in offered),
            cell=cell,
        ))
    return found


def not_customer_facing(ctx: Context) -> List[Finding]:
    found = []
    for step in ctx.steps:
        refs = ctx.support(step)
        if not refs:
            continue
        marks = [ctx.touchpoints.get(r) for r in refs]
        # an explicit No only: a blank mark is not the owner saying "not customer-facing"
        if not all(tp is not None and tp.customer_facing is False for tp in marks):
            continue
        marked = "marked" if len(refs) == 1 else "all marked"
        found.append(Finding(
            kind="not-customer-facing",
            severity="warning",
            message=_cap(f"{ctx.step_label(step)} is supported only by {ctx.elements_label(refs)}, "
                         f"{marked} not customer-facing: at this step the customer meets no one."),
            persona=ctx.step_persona(step),
            steps=(step.number,),
            elements=refs,
            cell=_step_cell(step),
        ))
    return found


def handoffs(ctx: Context) -> List[Finding]:
    found: Dict[Tuple[int, int], Finding] = {}
    for track in ctx.tracks():
        previous: Optional[Tuple[JourneyStep, Dict[ElementRef, Owner]]] = None
        for step in track:
            owned = {r: ctx.owner(r) for r in ctx.support(step)}
            ops = {r: o for r, o in owned.items() if not o.is_customer}
            if not ops:
                continue  # unsupported, or only the customer's own side
            if previous is not None:
                before_step, before = previous
                if not set(before.values()) & set(ops.values()):
                    key = (before_step.number, step.number)
                    if key not in found:
                        found[key] = _handoff(ctx, before_step, before, step, ops)
            previous = (step, ops)
    return list(found.values())


def _handoff(ctx: Context, first: JourneyStep, before: Dict[ElementRef, Owner],
             second: JourneyStep, after: Dict[ElementRef, Owner]) -> Finding:
    pools_before = {(o.model, o.pool_id) for o in before.values()}
    pools_after = {(o.model, o.pool_id) for o in after.values()}
    between_pools = not pools_before & pools_after
    source = " and ".join(sorted({o.label for o in before.values()}))
    target = " and ".join(sorted({o.label for o in after.values()}))
    return Finding(
        kind="handoff",
        severity="warning" if between_pools else "info",
        message=_cap(f"between {ctx.step_label(first)} and {ctx.step_label(second)} "
                     f"the customer is passed from {source} to {target}."),
        persona=_pair_persona(ctx, first, second),
        steps=(first.number, second.number),
        elements=tuple(before) + tuple(r for r in after if r not in before),
        cell=_step_cell(second),
    )


def order_mismatches(ctx: Context) -> List[Finding]:
    found: Dict[Tuple[int, int], Finding] = {}
    for track in ctx.tracks():
        previous: Optional[JourneyStep] = None
        for step in track:
            if not ctx.support(step):
                continue
            if previous is not None:
                key = (previous.number, step.number)
                if key not in found:
                    inverted = _inverted(ctx, ctx.support(previous), ctx.support(step))
                    if inverted:
                        found[key] = _order_finding(ctx, previous, step, inverted)
            previous = step
    return list(found.values())


def _inverted(ctx: Context, earlier: Sequence[ElementRef],
              later: Sequence[ElementRef]) -> List[Tuple[ElementRef, ElementRef]]:
    """Pairs (x, y): y (later step) can only happen before x (earlier step).

    Reported only when every pair of elements in one model is so inverted:
    one element that may come in the journey's order settles it.
    """
    inverted = []
    for x in earlier:
        for y in later:
            if x.model != y.model:
                continue
            reach = ctx.reachability(x.model)
            if (x == y or reach.contains(x.element_id, y.element_id)
                    or reach.contains(y.element_id, x.element_id)):
                return []
            forward = reach.reaches(x.element_id, y.element_id)
            backward = reach.reaches(y.element_id, x.element_id)
            if forward or not backward:
                return []
            inverted.append((x, y))
    return inverted


def _order_finding(ctx: Context, first: JourneyStep, second: JourneyStep,
                   inverted: List[Tuple[ElementRef, ElementRef]]) -> Finding:
    xs = list(dict.fromkeys(x for x, _ in inverted))
    ys = list(dict.fromkeys(y for _, y in inverted))
    return Finding(
        kind="order-mismatch",
        severity="warning",
        message=_cap(f"{ctx.step_label(second)} comes after {ctx.step_label(first)} in the "
                     f"journey, but in the process {ctx.elements_label(ys)} can only happen "
                     f"before {ctx.elements_label(xs)}."),
        persona=_pair_persona(ctx, first, second),
        steps=(first.number, second.number),
        elements=tuple(xs) + tuple(y for y in ys if y not in xs),
        cell=_step_cell(second),
    )


def unreachable_support(ctx: Context) -> List[Finding]:
    steps_of: Dict[ElementRef, List[JourneyStep]] = {}
    for step in ctx.steps:
        for ref in ctx.support(step):
            steps_of.setdefault(ref, []).append(step)
    found = []
    for ref, steps in steps_of.items():
        if ctx.reachability(ref.model).is_reached(ref.element_id):
            continue
        personas = {ctx.step_persona(s) for s in steps}
        found.append(Finding(
            kind="unreachable-support",
            severity="warning",
            message=(f"{ctx.element_label(ref)} supports {_steps_label(ctx, steps)} but no start "
                     "event of the process leads to it, so it never happens."),
            persona=personas.pop() if len(personas) == 1 else None,
            steps=tuple(s.number for s in steps),
            elements=(ref,),
            cell=_step_cell(steps[0]),
        ))
    return found


RULES = (
    missing_support,
    self_service_only,
    unmapped_touchpoints,
    pain_points,
    channel_mismatches,
    not_customer_facing,
    handoffs,
    order_mismatches,
    unreachable_support,
)
