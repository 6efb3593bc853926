"""What a change does to the customer: the gap analyses before and after, compared.

A finding is the same finding in both versions when its kind, its journey steps
(matched across versions), its elements (matched across versions) and its
persona agree; its message is not compared, as it holds numbers and names that
change with unrelated edits. A finding about journey steps that is left over is
then matched on its kind, steps and persona alone (a hand-off between the same
steps, now through another task, is still that hand-off).
"""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

from ..analysis import Analysis, Finding, MomentOfTruth
from ..severity import SEVERITY_RANK
from .result import Consequences, FindingChange, StageEmotion

_GONE = "only in the old version"


def _step_key(number: int, step_map: Optional[Dict[int, int]]):
    if step_map is None:
        return number
    return step_map.get(number, (_GONE, number))


def _element_key(element_id: str, mapping: Optional[Dict[str, str]]):
    if mapping is None:
        return element_id
    return mapping.get(element_id, (_GONE, element_id))


def finding_key(finding: Finding, mapping: Optional[Dict[str, str]] = None,
                step_map: Optional[Dict[int, int]] = None) -> tuple:
    """What identifies a finding across versions; the old version's ids and step
    numbers go through ``mapping`` and ``step_map`` (None: the new version)."""
    return (
        finding.kind,
        tuple(_step_key(n, step_map) for n in finding.steps),
        tuple(sorted((_element_key(r.element_id, mapping) for r in finding.elements), key=repr)),
        (finding.persona or "").casefold(),
    )


def _moment_key(moment: MomentOfTruth, mapping=None, step_map=None) -> tuple:
    if moment.step is not None:
        return ("step", _step_key(moment.step, step_map))
    return ("element", _element_key(moment.element.element_id, mapping) if moment.element else None)


def _pair(old: Tuple[Finding, ...], new: Tuple[Finding, ...], pairs: Dict[int, Finding],
          key_old, key_new) -> None:
    """Pair findings with equal keys, in order; ``pairs`` maps id(new) -> old."""
    taken = {id(f) for f in pairs.values()}
    waiting: Dict[tuple, List[Finding]] = {}
    for finding in new:
        key = key_new(finding)
        if id(finding) not in pairs and key is not None:
            waiting.setdefault(key, []).append(finding)
    for finding in old:
        key = key_old(finding)
        if id(finding) in taken or key is None:
            continue
        queue = waiting.get(key)
        if queue:
            pairs[id(queue.pop(0))] = finding


def _by_steps(key: tuple) -> Optional[tuple]:
    kind, steps, _elements, persona = key
    return (kind, steps, persona) if steps else None


def compare_findings(old: Analysis, new: Analysis, mapping: Dict[str, str],
                     step_map: Dict[int, int]) -> Tuple[FindingChange, ...]:
    pairs: Dict[int, Finding] = {}  # id(new finding) -> its old one

    def old_key(finding):
        return finding_key(finding, mapping, step_map)

    _pair(old.findings, new.findings, pairs, old_key, finding_key)
    _pair(old.findings, new.findings, pairs, lambda f: _by_steps(old_key(f)),
          lambda f: _by_steps(finding_key(f)))
    paired_old = {id(f) for f in pairs.values()}
    resolved = [FindingChange("resolved", f, None) for f in old.findings
                if id(f) not in paired_old]
    groups: Dict[str, List[FindingChange]] = {"new": [], "worse": [], "better": [],
                                              "unchanged": []}
    for finding in new.findings:
        before = pairs.get(id(finding))
        if before is None:
            change = "new"
        elif SEVERITY_RANK[finding.severity] < SEVERITY_RANK[before.severity]:
            change = "worse"
        elif SEVERITY_RANK[finding.severity] > SEVERITY_RANK[before.severity]:
            change = "better"
        else:
            change = "unchanged"
        groups[change].append(FindingChange(change, before, finding))
    return tuple(groups["new"] + groups["worse"] + groups["better"] + resolved
                 + groups["unchanged"])


def compare_consequences(old: Analysis, new: Analysis, mapping: Dict[str, str],
                         step_map: Dict[int, int]) -> Consequences:
    stages: List[StageEmotion] = []
    old_stages = {m.label.casefold(): m for m in old.metrics.emotion_per_stage}
    seen = set()
    for mean in new.metrics.emotion_per_stage:
        seen.add(mean.label.casefold())
        stages.append(StageEmotion(mean.label, old_stages.get(mean.label.casefold()), mean))
    for mean in old.metrics.emotion_per_stage:
        if mean.label.casefold() not in seen:
            stages.append(StageEmotion(mean.label, mean, None))
    old_risk = {_moment_key(m, mapping, step_map) for m in old.metrics.moments_of_truth_at_risk}
    new_risk = {_moment_key(m) for m in new.metrics.moments_of_truth_at_risk}
    return Consequences(
        old=old,
        new=new,
        findings=compare_findings(old, new, mapping, step_map),
        emotion_per_stage=tuple(stages),
        moments_newly_at_risk=tuple(m for m in new.metrics.moments_of_truth_at_risk
                                    if _moment_key(m) not in old_risk),
        moments_no_longer_at_risk=tuple(
            m for m in old.metrics.moments_of_truth_at_risk
            if _moment_key(m, mapping, step_map) not in new_risk),
    )
