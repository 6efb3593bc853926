"""Gap analysis: where the customer journey and the operational process do not meet.

:func:`analyse` is pure: models and annotations in, an :class:`Analysis` out,
no I/O, the same findings in the same order for the same input.
"""

from __future__ import annotations

from typing import Dict, Iterable, List, Optional, Union

from ..annotations import Annotations, ElementRef
from ..model import Model
from .blueprint import Sides, bands, links, suggest_sides
from .blueprint_findings import RULES as BLUEPRINT_RULES
from .context import AnalysisError, Context
from .findings import RULES
from .metrics import compute_metrics
from .reachability import Reachability
from .journey import CurvePoint, emotion_curve, persona_names, steps_for
from .result import (
    KINDS,
    SEVERITIES,
    Analysis,
    Finding,
    Mean,
    Metrics,
    ModelInfo,
    MomentOfTruth,
)

__all__ = [
    "analyse",
    "emotion_curve",
    "persona_names",
    "steps_for",
    "Analysis",
    "CurvePoint",
    "AnalysisError",
    "Finding",
    "KINDS",
    "Mean",
    "Metrics",
    "ModelInfo",
    "MomentOfTruth",
    "Reachability",
    "SEVERITIES",
    "Sides",
    "bands",
    "links",
    "suggest_sides",
]


def analyse(models: Union[Model, Iterable[Model]], annotations: Annotations,
            persona: Optional[str] = None, max_crossings: int = 2) -> Analysis:
    """Compare the journey and touchpoints in ``annotations`` with the process ``models``.

    ``persona`` limits the analysis to one persona's journey (steps with that
    persona or none) and emotions; it must be a persona of the workbook
    (any case), else :class:`bpmncx.annotations.UnknownPersonaError`. Findings
    come sorted worst first, then in journey order, then by kind and element.
    ``max_crossings``: a step crossing the line of visibility more often than this
    gets a ``visibility-crossings`` finding.
    """
    if isinstance(models, Model):
        models = [models]
    models = list(models)
    ctx = Context(models, annotations.canonical(), persona, max_crossings)
    findings = []
    for rule in RULES + BLUEPRINT_RULES:
        findings.extend(rule(ctx))
    findings.sort(key=Finding.sort_key)
    names = {}
    by_element: Dict[ElementRef, List[Finding]] = {}
    for finding in findings:
        for ref in finding.elements:
            names[ref] = ctx.name(ref)
            if finding not in by_element.setdefault(ref, []):
                by_element[ref].append(finding)
    for step in ctx.steps:
        for ref in ctx.support(step):
            names[ref] = ctx.name(ref)
    return Analysis(
        findings=tuple(findings),
        metrics=compute_metrics(ctx, findings),
        persona=ctx.persona,
        workbook=annotations.source,
        models=tuple(ModelInfo(m.name, m.path, m.sha256) for m in ctx.models.values()),
        element_names=names,
        annotations=ctx.annotations,
        steps=tuple(ctx.steps),
        elements=ctx.elements,
        touchpoints=ctx.touchpoints,
        by_element={ref: tuple(found) for ref, found in by_element.items()},
        sides=ctx.sides,
    )
