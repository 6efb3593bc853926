"""The numbers beside the findings: coverage, channels, emotions, moments of truth."""

from __future__ import annotations

from typing import Dict, Iterable, List, Optional, Sequence

from ..vocabulary import DEVICES
from .context import Context
from .result import KINDS, SEVERITIES, Finding, Mean, Metrics, MomentOfTruth

NO_CHANNEL = "(no channel)"
NO_STAGE = "(no stage)"

# Kinds that put a moment of truth at risk (a hand-off alone does not).
RISK_KINDS = frozenset(KINDS) - {"handoff"}


def _tidy(text: str) -> str:
    return " ".join(text.split())


def _ordered(keys: Iterable[str], preferred: Sequence[str], last: str) -> List[str]:
    """Keys in the workbook's order (channels, stages), then the others sorted, ``last`` last."""
    keys = set(keys)
    order = [p for p in preferred if p in keys]
    rest = sorted(k for k in keys if k not in order and k != last)
    return order + rest + ([last] if last in keys else [])


def _canonical(text: str, preferred: Sequence[str]) -> str:
    for name in preferred:
        if name.casefold() == text.casefold():
            return name
    return text


def _mean(label: str, scores: List[int]) -> Mean:
    if not scores:
        return Mean(label, None, 0)
    return Mean(label, round(sum(scores) / len(scores), 2) + 0.0, len(scores))  # no -0.0


def compute_metrics(ctx: Context, findings: Sequence[Finding]) -> Metrics:
    steps = ctx.steps
    supported = sum(1 for s in steps if ctx.operations_support(s))  # self-service is not covered
    channels = tuple(ctx.annotations.channels)
    stages = tuple(ctx.annotations.stages)

    per_channel: Dict[str, int] = {}
    for tp in ctx.touchpoints.values():
        if tp.is_customer_facing:
            channel = _canonical(_tidy(tp.channel), channels) or NO_CHANNEL
            per_channel[channel] = per_channel.get(channel, 0) + 1

    personas = ctx.personas_in_scope()
    by_persona: Dict[str, List[int]] = {p: [] for p in personas}
    by_stage: Dict[str, List[int]] = {}

    def rate(persona: Optional[str], stage: str, score: int) -> None:
        # A step without a persona is lived by every persona in scope.
        for name in ([persona] if persona else personas):
            if name in by_persona:
                by_persona[name].append(score)
        key = _canonical(_tidy(stage), stages) or NO_STAGE
        by_stage.setdefault(key, []).append(score)

    for step in steps:
        if step.emotion is not None:
            explicit = step.persona if step.persona.strip() else None
            rate(explicit, step.stage, step.emotion)
    for tp in ctx.touchpoints.values():
        for persona, score in sorted(tp.emotions.items()):
            if score is not None and persona in by_persona:
                by_persona[persona].append(score)
                key = _canonical(_tidy(tp.stage), stages) or NO_STAGE
                by_stage.setdefault(key, []).append(score)

    per_device: Dict[str, int] = {}
    for step in steps:
        if _tidy(step.device):
            device = _canonical(_tidy(step.device), DEVICES)
            per_device[device] = per_device.get(device, 0) + 1

    at_risk: List[MomentOfTruth] = []
    moments = 0
    for step in steps:
        if not step.moment_of_truth:
            continue
        moments += 1
        kinds = sorted({f.kind for f in findings
                        if f.kind in RISK_KINDS and step.number in f.steps})
        if kinds:
            at_risk.append(MomentOfTruth(ctx.step_label(step), step.number, None, tuple(kinds)))
    for ref, tp in sorted(ctx.touchpoints.items(), key=lambda item: (item[0].model, item[0].element_id)):
        if not tp.moment_of_truth:
            continue
        moments += 1
        kinds = sorted({f.kind for f in findings if f.kind in RISK_KINDS and ref in f.elements})
        if kinds:
            at_risk.append(MomentOfTruth(ctx.element_label(ref), None, ref, tuple(kinds)))

    return Metrics(
        steps=len(steps),
        supported_steps=supported,
        coverage=round(supported / len(steps), 4) if steps else None,
        touchpoints_per_channel=tuple(
            (c, per_channel[c]) for c in _ordered(per_channel, channels, NO_CHANNEL)
        ),
        emotion_per_persona=tuple(_mean(p, by_persona[p]) for p in personas),
        emotion_per_stage=tuple(
            _mean(s, by_stage[s]) for s in _ordered(by_stage, stages, NO_STAGE)
        ),
        moments_of_truth=moments,
        moments_of_truth_at_risk=tuple(at_risk),
        handoffs=sum(1 for f in findings if f.kind == "handoff"),
        findings_per_severity=tuple(
            (s, sum(1 for f in findings if f.severity == s)) for s in SEVERITIES
        ),
        findings_per_kind=tuple((k, sum(1 for f in findings if f.kind == k)) for k in KINDS),
        steps_per_device=tuple((d, per_device[d]) for d in _ordered(per_device, DEVICES, "")),
    )
