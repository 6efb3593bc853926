"""A comparison of two versions as data and as text: JSON, a terminal listing and a
Markdown pull-request comment.

:func:`diff_document` is the one place that turns a :class:`~bpmncx.diff.Diff`
into plain data (schema ``bpmncx-diff/1``, documented in the README); the text
outputs share the wording of :func:`headline` and the ``describe_*`` helpers.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Sequence, Tuple

from ..analysis import SEVERITIES, Analysis, Finding, MomentOfTruth
from ..diff import (
    Consequences,
    Diff,
    ElementChange,
    ElementState,
    EmotionChange,
    FlowChange,
    ModelDiff,
    StepChange,
    StepState,
)
from .findings import finding_record, md_text
from .mermaid import mermaid_journey
from .terminal import plain

SCHEMA = "bpmncx-diff/1"
MARKDOWN_LIMIT = 65_000  # a GitHub comment holds 65,536 characters


# -- data ----------------------------------------------------------------------


def _bounds(state: ElementState):
    b = state.bounds
    return None if b is None else {"x": b.x, "y": b.y, "width": b.width, "height": b.height}


def _state(state: Optional[ElementState]):
    if state is None:
        return None
    return {"id": state.id, "kind": state.kind, "name": state.name, "pool": state.pool,
            "lane": state.lane, "bounds": _bounds(state)}


def _step(step: Optional[StepState]):
    if step is None:
        return None
    return {
        "number": step.number, "text": step.text, "stage": step.stage, "channel": step.channel,
        "persona": step.persona or None, "emotion": step.emotion,
        "moment_of_truth": step.moment_of_truth,
        "supported_by": [{"id": i, "name": n}
                         for i, n in zip(step.supported_by, step.supported_by_names)],
    }


def _moment(analysis: Analysis, moment: MomentOfTruth):
    element = None
    if moment.element is not None:
        element = {"model": moment.element.model, "id": moment.element.element_id,
                   "name": analysis.element_name(moment.element)}
    return {"label": moment.label, "step": moment.step, "element": element,
            "kinds": list(moment.kinds)}


def _mean(mean):
    return None if mean is None else {"mean": mean.mean, "count": mean.count}


def _consequences(c: Consequences) -> Dict[str, Any]:
    old, new = c.old.metrics, c.new.metrics
    return {
        "coverage": {"old": old.coverage, "new": new.coverage},
        "journey_steps": {"old": old.steps, "new": new.steps},
        "supported_steps": {"old": old.supported_steps, "new": new.supported_steps},
        "findings_per_severity": {"old": dict(old.findings_per_severity),
                                  "new": dict(new.findings_per_severity)},
        "findings": [
            {"change": f.change,
             "old": finding_record(c.old, f.old) if f.old is not None else None,
             "new": finding_record(c.new, f.new) if f.new is not None else None}
            for f in c.findings
        ],
        "emotion_per_stage": [{"stage": s.stage, "old": _mean(s.old), "new": _mean(s.new)}
                              for s in c.emotion_per_stage],
        "moments_of_truth_newly_at_risk": [_moment(c.new, m) for m in c.moments_newly_at_risk],
        "moments_of_truth_no_longer_at_risk": [_moment(c.old, m)
                                               for m in c.moments_no_longer_at_risk],
    }


def _side(side):
    return None if side is None else {"file": side.file, "sha256": side.sha256,
                                      "workbook": side.workbook}


def model_record(m: ModelDiff) -> Dict[str, Any]:
    return {
        "model": m.model,
        "old": _side(m.old),
        "new": _side(m.new),
        "process": {
            "elements": [{"change": e.change, "id": e.id, "aspects": list(e.aspects),
                          "old": _state(e.old), "new": _state(e.new)}
                         for e in m.process.elements],
            "flows": [{"change": f.change, "kind": f.kind, "id": f.id, "name": f.name,
                       "source": {"id": f.source_id, "name": f.source},
                       "target": {"id": f.target_id, "name": f.target}}
                      for f in m.process.flows],
            "regenerated_ids": [{"old": o, "new": n} for o, n in m.process.regenerated_ids],
        },
        "journey": None if m.journey is None else {
            "steps": [{"change": s.change, "aspects": list(s.aspects), "old": _step(s.old),
                       "new": _step(s.new)} for s in m.journey.steps],
            "emotions": [{"where": e.where, "label": e.label, "step": e.step,
                          "element": e.element_id, "persona": e.persona, "old": e.old,
                          "new": e.new} for e in m.journey.emotions],
        },
        "consequences": None if m.consequences is None else _consequences(m.consequences),
    }


def _count(diff: Diff, change: str) -> int:
    return sum(len(m.consequences.of_change(change)) for m in diff.models if m.consequences)


def diff_document(diff: Diff) -> Dict[str, Any]:
    """The comparison as JSON-ready data; equal diffs give equal documents."""
    new_per_severity = {s: 0 for s in SEVERITIES}
    for m in diff.models:
        if m.consequences:
            for f in m.consequences.of_change("new"):
                new_per_severity[f.new.severity] += 1
    return {
        "schema": SCHEMA,
        "old": diff.old,
        "new": diff.new,
        "summary": {
            "models_changed": len(diff.models),
            "models_unchanged": len(diff.unchanged),
            "new_findings_per_severity": new_per_severity,
            "worse_findings": _count(diff, "worse"),
            "better_findings": _count(diff, "better"),
            "resolved_findings": _count(diff, "resolved"),
        },
        "models": [model_record(m) for m in diff.models],
        "unchanged": list(diff.unchanged),
    }


def to_json(diff: Diff) -> str:
    """Byte-stable JSON: sorted keys, two-space indent, UTF-8 text, final newline."""
    return json.dumps(diff_document(diff), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


# -- wording shared by the text outputs ---------------------------------------


def _percent(value: Optional[float]) -> str:
    return "n/a" if value is None else f"{value * 100:.0f} %"


def _quoted(name: str, fallback: str = "") -> str:
    return f"\u201c{name}\u201d" if name else fallback


def element_label(state: ElementState) -> str:
    return f"{state.kind} {_quoted(state.name, state.id)}"


def _place(state: ElementState) -> str:
    if state.kind == "participant":
        return ""
    if state.lane:
        return f"{state.lane} ({state.pool})" if state.pool else state.lane
    return state.pool


def describe_element(change: ElementChange) -> Tuple[str, str, str]:
    """(what happened, the element, details) for one element change."""
    if change.change == "added":
        place = _place(change.new)
        return "added", element_label(change.new), f"in {place}" if place else ""
    if change.change == "removed":
        place = _place(change.old)
        return "removed", element_label(change.old), f"was in {place}" if place else ""
    old, new = change.old, change.new
    details = []
    if "renamed" in change.aspects:
        details.append(f"renamed from {_quoted(old.name, old.id)}")
    if "retyped" in change.aspects:
        details.append(f"type {old.kind} \u2192 {new.kind}")
    if "moved" in change.aspects:
        details.append(f"moved from {_place(old) or 'no lane'} to {_place(new) or 'no lane'}")
    return ", ".join(change.aspects), element_label(new), "; ".join(details)


def describe_flow(flow: FlowChange) -> str:
    kind = "message flow" if flow.kind == "messageFlow" else "sequence flow"
    name = f" {_quoted(flow.name)}" if flow.name else ""
    return (f"{kind}{name} {_quoted(flow.source, flow.source_id)} \u2192 "
            f"{_quoted(flow.target, flow.target_id)}")


def step_label(step: StepState) -> str:
    return f"step {step.number} {_quoted(step.text)}".rstrip()


def _support(step: StepState) -> str:
    return ", ".join(_quoted(n) for n in step.supported_by_names) or "nothing"


def _emotion(value: Optional[int]) -> str:
    if value is None:
        return "none"
    return f"{value:+d}" if value else "0"


def listed_steps(steps: Sequence[StepChange]) -> List[StepChange]:
    """The step changes to list: not those whose only change is the emotion (the
    emotion changes are listed apart, per persona, with the touchpoints')."""
    return [s for s in steps if s.aspects != ("emotion",)]


def describe_step(change: StepChange) -> Tuple[str, str, str]:
    """(what happened, the step, details) for one journey step change; an emotion
    change is described by :func:`describe_emotion`."""
    if change.change == "added":
        return "added", step_label(change.new), f"supported by {_support(change.new)}"
    if change.change == "removed":
        return "removed", step_label(change.old), f"was supported by {_support(change.old)}"
    old, new = change.old, change.new
    details = []
    if "reworded" in change.aspects:
        details.append(f"was {_quoted(old.text)}")
    if "moved" in change.aspects:
        details.append(f"moved from step {old.number}")
    if "repointed" in change.aspects:
        details.append(f"support {_support(old)} \u2192 {_support(new)}")
    for aspect, a, b in (("stage", old.stage, new.stage), ("channel", old.channel, new.channel),
                         ("persona", old.persona, new.persona)):
        if aspect in change.aspects:
            details.append(f"{aspect} {_quoted(a, 'none')} \u2192 {_quoted(b, 'none')}")
    if "moment-of-truth" in change.aspects:
        details.append("now a moment of truth" if new.moment_of_truth
                       else "no longer a moment of truth")
    aspects = [a for a in change.aspects if a != "emotion"]
    return ", ".join(aspects), step_label(new), "; ".join(details)


def describe_emotion(change: EmotionChange) -> Tuple[str, str, str, str]:
    """(where, persona, before, after)."""
    where = (f"step {change.step} {_quoted(change.label)}" if change.where == "step"
             else f"touchpoint {_quoted(change.label, change.element_id or '')}")
    return where, change.persona or "everyone", _emotion(change.old), _emotion(change.new)


def _finding_steps(finding: Finding) -> str:
    return ", ".join(str(s) for s in finding.steps)


def headline(m: ModelDiff) -> str:
    """One line a reviewer reads first, e.g. "coverage 71 % → 57 %, 2 new critical gaps"."""
    parts = []
    c = m.consequences
    if m.old is None:
        parts.append("new model")
    elif m.new is None:
        parts.append("model deleted")
    if c is not None:
        parts.append(f"coverage {_percent(c.old.metrics.coverage)} \u2192 "
                     f"{_percent(c.new.metrics.coverage)}")
        new = c.of_change("new")
        for severity in SEVERITIES:
            count = sum(1 for f in new if f.new.severity == severity)
            if count:
                noun = {"critical": "critical gap", "warning": "warning",
                        "info": "info finding"}[severity]
                parts.append(f"{count} new {noun}{'s' if count != 1 else ''}")
        worse = len(c.of_change("worse"))
        if worse:
            parts.append(f"{worse} got worse")
        resolved = len(c.of_change("resolved"))
        if resolved:
            parts.append(f"{resolved} resolved")
        if not new and not worse and not resolved:
            parts.append("no new gaps")
    counts = [f"{len(m.process.of_change(k))} {k}" for k in ("added", "removed", "changed")
              if m.process.of_change(k)]
    if m.process.flows:
        counts.append(f"{len(m.process.flows)} flow(s) added or removed")
    if counts and m.old is not None and m.new is not None:
        parts.append("elements: " + ", ".join(counts))
    if m.journey is not None and m.journey.steps:
        parts.append(f"{len(m.journey.steps)} journey step(s) changed")
    return ", ".join(parts) or "no change for the customer"


def _title(m: ModelDiff) -> str:
    side = m.new or m.old
    return side.file if side is not None else m.model


# -- terminal --------------------------------------------------------------------


def to_table(diff: Diff) -> str:
    """A plain listing, one section per model changed."""
    lines = [plain(f"{diff.old} \u2192 {diff.new}: {len(diff.models)} model(s) changed, "
                   f"{len(diff.unchanged)} unchanged")]
    for m in diff.models:
        lines += ["", plain(f"{_title(m)}: {headline(m)}")]
        c = m.consequences
        if c is not None:
            shown = [f for f in c.findings if f.change != "unchanged"]
            for f in shown:
                finding = f.finding
                severity = (f"{f.old.severity}->{f.new.severity}" if f.change in ("worse", "better")
                            else finding.severity)
                lines.append(plain(f"  {f.change:<9} {severity:<9} {finding.kind:<20} "
                                   f"{_finding_steps(finding) or '-':<6} {finding.message}"))
            for moment in c.moments_newly_at_risk:
                lines.append(plain(f"  moment of truth newly at risk: {moment.label} "
                                   f"({', '.join(moment.kinds)})"))
            for stage in c.emotion_per_stage:
                if _mean_text(stage.old) != _mean_text(stage.new):
                    lines.append(plain(f"  emotion in {stage.stage}: {_mean_text(stage.old)} "
                                       f"\u2192 {_mean_text(stage.new)}"))
        for change in m.process.elements:
            what, label, details = describe_element(change)
            lines.append(plain(f"  {what:<9} {label}" + (f": {details}" if details else "")))
        for flow in m.process.flows:
            lines.append(plain(f"  {flow.change:<9} {describe_flow(flow)}"))
        if m.journey is not None:
            for step in listed_steps(m.journey.steps):
                what, label, details = describe_step(step)
                lines.append(plain(f"  {what:<9} {label}" + (f": {details}" if details else "")))
            for emotion in m.journey.emotions:
                where, persona, before, after = describe_emotion(emotion)
                lines.append(plain(f"  emotion   {where}, {persona}: {before} \u2192 {after}"))
    return "\n".join(lines) + "\n"


def _mean_text(mean) -> str:
    return "none" if mean is None or mean.mean is None else f"{mean.mean:+.2f}"


# -- Markdown --------------------------------------------------------------------


def _row(*cells: str) -> str:
    return "| " + " | ".join(md_text(c) for c in cells) + " |"


def _table(header: Sequence[str], rows: List[str]) -> List[str]:
    """A table as blocks: the header (with its rule) and then one block per row."""
    if not rows:
        return []
    return ["\n" + _row(*header) + "\n" + "|---" * len(header) + "|"] + rows


def _model_blocks(m: ModelDiff) -> List[str]:
    blocks = [f"\n### {md_text(_title(m))}\n\n**{md_text(headline(m))}**"]
    old = f"{m.old.file}" + (f" with {m.old.workbook}" if m.old.workbook else "") if m.old else "none"
    new = f"{m.new.file}" + (f" with {m.new.workbook}" if m.new.workbook else "") if m.new else "none"
    blocks.append("\n" + md_text(f"Before: {old}; after: {new}"))
    c = m.consequences
    if c is not None:
        rows = []
        for f in c.findings:
            if f.change == "unchanged":
                continue
            finding = f.finding
            severity = (f"{f.old.severity} \u2192 {f.new.severity}"
                        if f.change in ("worse", "better") else finding.severity)
            rows.append(_row(f.change, severity, finding.kind, _finding_steps(finding),
                             finding.message))
        blocks += _table(("Finding", "Severity", "Kind", "Steps", "Message"), rows)
        unchanged = len(c.of_change("unchanged"))
        if unchanged:
            blocks.append(f"\n{unchanged} finding(s) unchanged.")
        if c.moments_newly_at_risk:
            blocks.append("\nMoments of truth newly at risk:\n")
            blocks += [f"- {md_text(mo.label)} ({md_text(', '.join(mo.kinds))})"
                       for mo in c.moments_newly_at_risk]
        stages = [_row(s.stage, _mean_text(s.old), _mean_text(s.new))
                  for s in c.emotion_per_stage if _mean_text(s.old) != _mean_text(s.new)]
        blocks += _table(("Stage", "Mean emotion before", "After"), stages)
    blocks += _table(("Change", "Element", "Details"),
                     [_row(*describe_element(e)) for e in m.process.elements])
    blocks += _table(("Flow", "Connection"),
                     [_row(f.change, describe_flow(f)) for f in m.process.flows])
    if m.journey is not None:
        blocks += _table(("Journey", "Step", "Details"),
                         [_row(*describe_step(s)) for s in listed_steps(m.journey.steps)])
        blocks += _table(("Emotion of", "Persona", "Before", "After"),
                         [_row(*describe_emotion(e)) for e in m.journey.emotions])
    if m.new_annotations is not None and m.new_annotations.journey:
        blocks.append("\nThe journey after the change (score 1-5 from the emotion -2..+2):\n\n"
                      + mermaid_journey(m.new_annotations, f"Customer journey of {m.model}").rstrip("\n"))
    return blocks


def to_markdown(diff: Diff, limit: int = MARKDOWN_LIMIT) -> str:
    """A pull-request comment: a headline per model, tables of changes and the new
    journey as a Mermaid diagram; at most ``limit`` characters, cut between blocks
    with a note when longer.
    """
    blocks = [f"## {md_text(f'bpmncx diff: {diff.old} → {diff.new}')}", ""]
    if not diff.models:
        blocks.append("No model changed.")
    for m in diff.models:
        blocks.append(f"- **{md_text(_title(m))}**: {md_text(headline(m))}")
    if diff.unchanged:
        blocks.append(f"- {len(diff.unchanged)} model(s) unchanged")
    for m in diff.models:
        blocks += _model_blocks(m)
    text = "\n".join(blocks) + "\n"
    if len(text) <= limit:
        return text
    kept: List[str] = []
    size = 0
    for index, block in enumerate(blocks):
        note = _truncation_note(len(blocks) - index)
        if size + len(block) + 1 + len(note) > limit:
            return "\n".join(kept) + "\n" + note
        kept.append(block)
        size += len(block) + 1
    return text  # not reached: the whole text was longer than the limit


def _truncation_note(left: int) -> str:
    return (f"\n_Cut here to stay within a comment's size: {left} more line(s) or table(s) not "
            "shown; run `bpmncx diff --format json` for the whole comparison._\n")
