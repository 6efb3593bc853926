"""The journey per persona, step by step, with emotions: the rules every output shows.

Pure functions over :class:`bpmncx.annotations.Annotations`; the diagram's
journey band, the HTML and the Excel report all draw this curve. Persona
names are compared exactly: :func:`bpmncx.analyse` has already written every
persona the way the workbook spells it (:meth:`Annotations.canonical`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Mapping, Optional, Sequence

from ..annotations import Annotations, ElementRef, JourneyStep, Touchpoint, feeling
from ..vocabulary import DEFAULT_PERSONA


@dataclass(frozen=True)
class CurvePoint:
    """One journey step as one persona lives it."""

    number: int  # the step's position in the journey (1-based)
    step: JourneyStep
    emotion: Optional[int]  # -2..+2, None when nobody said
    source: str  # "journey" (typed on the step), "touchpoint" (from its support) or ""


def persona_names(annotations: Annotations) -> List[str]:
    """The personas to report on: every persona the workbook names, else the default one."""
    return annotations.known_personas() or [DEFAULT_PERSONA]


def steps_for(annotations: Annotations, persona: str) -> List[JourneyStep]:
    """Journey steps that concern ``persona`` (a step without a persona concerns all)."""
    return [s for s in annotations.journey if not s.persona.strip() or s.persona == persona]


def _support_emotion(touchpoints: Mapping[ElementRef, Touchpoint], refs: Sequence[ElementRef],
                     persona: str) -> Optional[int]:
    scores = []
    for ref in refs:
        tp = touchpoints.get(ref)
        score = feeling(tp.emotions, persona).score if tp is not None else None
        if score is not None:
            scores.append(score)
    return min(scores) if scores else None


def emotion_curve(annotations: Annotations, persona: str,
                  touchpoints: Optional[Mapping[ElementRef, Touchpoint]] = None) -> List[CurvePoint]:
    """The persona's emotion at each of its journey steps, in journey order.

    The emotion typed on the step counts (a step without a persona speaks for
    every persona); otherwise the lowest emotion of the persona at the
    touchpoints supporting the step; otherwise none (a gap in the curve).
    ``touchpoints``: the Touchpoints row of each element (default: the first
    row naming it).
    """
    if touchpoints is None:
        touchpoints = {}
        for tp in annotations.touchpoints:
            touchpoints.setdefault(tp.ref, tp)
    points = []
    for step in sorted(steps_for(annotations, persona), key=lambda s: s.number):
        emotion, source = None, ""
        if step.emotion is not None:
            emotion, source = step.emotion, "journey"
        else:
            found = _support_emotion(touchpoints, step.supported_by, persona)
            if found is not None:
                emotion, source = found, "touchpoint"
        points.append(CurvePoint(step.number, step, emotion, source))
    return points
