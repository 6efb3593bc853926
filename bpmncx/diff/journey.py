"""Journey changes between two versions of the annotations.

Steps are matched by their text (the Customer step, ignoring case and spaces),
then the remaining ones at the same number when their texts are alike (a
reworded step). A step counts as moved only when it left the order of the
other matched steps (an inserted step does not move the ones after it).
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Dict, List, Optional, Sequence, Tuple

from ..annotations import Annotations, JourneyStep
from ..model import Model
from .process import tidy
from .result import EmotionChange, JourneyDiff, StepChange, StepState

REWORDED = 0.5  # how alike two texts at the same number must be to be one step reworded


def _fold(text: str) -> str:
    return tidy(text).casefold()


def _journey(annotations: Annotations) -> List[JourneyStep]:
    return sorted(annotations.journey, key=lambda s: (s.number, s.row))


def _support_ids(step: JourneyStep, model: Model) -> Tuple[str, ...]:
    """Supporting element ids; those of another model (one workbook over several
    models) as ``model:id``."""
    return tuple(ref.element_id if ref.model == model.name else f"{ref.model}:{ref.element_id}"
                 for ref in step.supported_by)


def step_state(step: JourneyStep, model: Model, annotations: Annotations) -> StepState:
    ids = _support_ids(step, model)
    return StepState(
        number=step.number,
        text=tidy(step.customer_step),
        stage=tidy(step.stage),
        channel=tidy(step.channel),
        persona=annotations.canonical_persona(step.persona) if step.persona.strip() else "",
        emotion=step.emotion,
        moment_of_truth=step.moment_of_truth,
        supported_by=ids,
        supported_by_names=tuple(tidy(model.lookup_name(i)) if i in model.node else i
                                 for i in ids),
    )


def match_steps(old: Sequence[JourneyStep], new: Sequence[JourneyStep]) -> List[Tuple[int, int]]:
    """(old index, new index) of the steps found in both journeys."""
    pairs: Dict[int, int] = {}
    waiting: Dict[str, List[int]] = {}
    for index, step in enumerate(new):
        if _fold(step.customer_step):
            waiting.setdefault(_fold(step.customer_step), []).append(index)
    for index, step in enumerate(old):
        queue = waiting.get(_fold(step.customer_step))
        if queue:
            pairs[index] = queue.pop(0)
    taken = set(pairs.values())
    new_at = {step.number: index for index, step in enumerate(new) if index not in taken}
    for index, step in enumerate(old):
        if index in pairs:
            continue
        other = new_at.get(step.number)
        if other is None:
            continue
        a, b = _fold(step.customer_step), _fold(new[other].customer_step)
        if not a or not b or SequenceMatcher(None, a, b).ratio() >= REWORDED:
            pairs[index] = other
            del new_at[step.number]
    return sorted(pairs.items())


def _kept_in_order(pairs: List[Tuple[int, int]]) -> set:
    """Old indexes of the longest run of matched steps still in the same order."""
    if not pairs:
        return set()
    # Longest increasing subsequence of the new indexes, by patience sorting.
    tails: List[int] = []  # position in pairs of the smallest tail per length
    previous: List[Optional[int]] = [None] * len(pairs)
    for position, (_old, new_index) in enumerate(pairs):
        low, high = 0, len(tails)
        while low < high:
            middle = (low + high) // 2
            if pairs[tails[middle]][1] < new_index:
                low = middle + 1
            else:
                high = middle
        previous[position] = tails[low - 1] if low else None
        if low == len(tails):
            tails.append(position)
        else:
            tails[low] = position
    kept = set()
    position = tails[-1]
    while position is not None:
        kept.add(pairs[position][0])
        position = previous[position]
    return kept


def compare_journey(old_annotations: Annotations, new_annotations: Annotations,
                    old_model: Model, new_model: Model,
                    mapping: Dict[str, str]) -> Tuple[JourneyDiff, Dict[int, int]]:
    """The journey changes, and old step number -> new step number for matched steps."""
    old_steps, new_steps = _journey(old_annotations), _journey(new_annotations)
    pairs = match_steps(old_steps, new_steps)
    kept = _kept_in_order(pairs)
    matched_old = {o for o, _n in pairs}
    matched_new = {n for _o, n in pairs}

    def old_state(step):
        return step_state(step, old_model, old_annotations)

    def new_state(step):
        return step_state(step, new_model, new_annotations)

    def mapped(element_id: str) -> str:
        return mapping.get(element_id, element_id if ":" in element_id else "old:" + element_id)

    removed = [StepChange("removed", old_state(s), None)
               for i, s in enumerate(old_steps) if i not in matched_old]
    added = [StepChange("added", None, new_state(s))
             for i, s in enumerate(new_steps) if i not in matched_new]
    changed: List[Tuple[int, StepChange]] = []
    emotions: List[Tuple[int, EmotionChange]] = []
    for old_index, new_index in pairs:
        before, after = old_state(old_steps[old_index]), new_state(new_steps[new_index])
        aspects = []
        if before.text != after.text:
            aspects.append("reworded")
        if old_index not in kept:
            aspects.append("moved")
        if {mapped(i) for i in before.supported_by} != set(after.supported_by):
            aspects.append("repointed")
        for aspect, a, b in (("stage", before.stage, after.stage),
                             ("channel", before.channel, after.channel),
                             ("persona", before.persona, after.persona)):
            if a.casefold() != b.casefold():
                aspects.append(aspect)
        if before.emotion != after.emotion:
            aspects.append("emotion")
            emotions.append((after.number, EmotionChange(
                "step", after.text, after.number, None, after.persona or None,
                before.emotion, after.emotion)))
        if before.moment_of_truth != after.moment_of_truth:
            aspects.append("moment-of-truth")
        if aspects:
            changed.append((after.number, StepChange("changed", before, after, tuple(aspects))))
    emotions.sort(key=lambda item: item[0])
    touchpoint_emotions = _touchpoint_emotions(old_annotations, new_annotations,
                                               old_model, new_model, mapping)
    step_map = {old_steps[o].number: new_steps[n].number for o, n in pairs}
    return JourneyDiff(
        steps=tuple(removed + added + [c for _n, c in sorted(changed, key=lambda i: i[0])]),
        emotions=tuple([e for _n, e in emotions] + touchpoint_emotions),
    ), step_map


def _touchpoint_emotions(old_annotations: Annotations, new_annotations: Annotations,
                         old_model: Model, new_model: Model,
                         mapping: Dict[str, str]) -> List[EmotionChange]:
    """Per persona, emotions that changed on elements found in both versions."""
    old_rows = {mapping[tp.element_id]: tp for tp in old_annotations.touchpoints
                if tp.model == old_model.name and tp.element_id in mapping}
    changes: List[EmotionChange] = []
    for tp in new_annotations.touchpoints:
        if tp.model != new_model.name or tp.element_id not in old_rows:
            continue
        spelled: Dict[str, str] = {}

        def scores(row, own: Annotations) -> Dict[str, int]:
            found = {}
            for persona, score in row.emotions.items():
                name = new_annotations.canonical_persona(own.canonical_persona(persona))
                spelled.setdefault(name.casefold(), name)
                found[name.casefold()] = score
            return found

        after = scores(tp, new_annotations)
        before = scores(old_rows[tp.element_id], old_annotations)
        label = tidy(new_model.lookup_name(tp.element_id))
        for persona in sorted(set(before) | set(after), key=lambda k: spelled[k]):
            if before.get(persona) != after.get(persona):
                changes.append(EmotionChange("touchpoint", label, None, tp.element_id,
                                             spelled[persona], before.get(persona),
                                             after.get(persona)))
    return changes
