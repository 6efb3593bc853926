"""A measurement as data and text: the ``bpmncx-measure/1`` JSON document, CSV, Markdown, table.

:func:`measure_document` is the one place that turns a :class:`Measurement`
and its findings into plain data; the JSON output starts from it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any, Dict, List, Optional, Sequence

from ..analysis.result import Finding
from ..annotations import ElementRef
from ..files import csv_cell
from ..model import Model
from .findings import Thresholds, duration_text
from .result import Emotion, Measurement, Stat

SCHEMA = "bpmncx-measure/1"


def _stat(stat: Stat) -> Dict[str, Any]:
    return {"count": stat.count, "median": stat.median, "p90": stat.p90, "min": stat.minimum,
            "p25": stat.p25, "p75": stat.p75, "max": stat.maximum}


def _emotion(emotion: Emotion) -> Dict[str, Any]:
    return {"mean": emotion.mean, "count": emotion.count}


def _names(measurement: Measurement) -> Dict[ElementRef, str]:
    names = {e.element: e.name for e in measurement.elements}
    for step in measurement.steps:
        for support in step.support:
            names.setdefault(support.element, support.name)
    return names


def _element(ref: Optional[ElementRef], names: Dict[ElementRef, str]):
    if ref is None:
        return None
    return {"model": ref.model, "id": ref.element_id, "name": names.get(ref, ref.element_id)}


def finding_record(finding: Finding, names: Dict[ElementRef, str]) -> Dict[str, Any]:
    """The fields of a ``bpmncx-gaps/1`` finding."""
    return {"kind": finding.kind, "severity": finding.severity, "message": finding.message,
            "persona": finding.persona, "step": finding.step, "steps": list(finding.steps),
            "elements": [_element(r, names) for r in finding.elements], "cell": finding.cell}


def measure_document(measurement: Measurement, findings: Sequence[Finding],
                     models: Sequence[Model] = (), workbook: str = "",
                     thresholds: Thresholds = Thresholds(), survey: Optional[str] = None,
                     log_columns: Sequence = (), bad_examples: Sequence = ()) -> Dict[str, Any]:
    """The measurement as JSON-ready data; equal inputs give equal documents."""
    m = measurement
    names = _names(m)
    return {
        "schema": SCHEMA,
        "workbook": workbook,
        "models": [{"name": x.name, "file": x.path, "sha256": x.sha256} for x in models],
        "persona": m.persona,
        "log": {
            "file": m.log.source, "format": m.log.format, "events": m.log.events,
            "cases": m.log.cases, "bad_rows": m.log.bad_rows,
            "bad_examples": [{"line": b.line, "reason": b.reason} for b in bad_examples],
            "first": m.log.first, "last": m.log.last, "time_zones": m.log.time_zones,
            "columns": {role: column for role, column in log_columns},
        },
        "survey": None if survey is None else {
            "file": survey, "scores": m.survey_scores, "unplaced": m.survey_unmatched},
        "clocks": {"process": _stat(m.process_clock), "customer": _stat(m.customer_clock),
                   "ratio": m.clock_ratio},
        "steps": [{
            "step": s.number, "label": s.label, "moment_of_truth": s.moment_of_truth,
            "observed": s.observed, "cases": s.cases, "reach": s.reach, "wait": _stat(s.wait),
            "repeated": s.repeated, "repeats": s.repeats, "next_step": s.next_step,
            "lost": s.lost, "lost_share": s.lost_share,
            "support": [dict(_element(p.element, names), skipped=p.skipped,
                             skipped_share=p.skipped_share, after=p.after,
                             after_share=p.after_share) for p in s.support],
            "stated_emotion": s.stated_emotion, "measured_emotion": _emotion(s.measured_emotion),
            "cell": s.cell,
        } for s in m.steps],
        "elements": [dict(_element(e.element, names), customer_side=e.customer_side,
                          occurrences=e.occurrences, cases=e.cases, duration=_stat(e.duration),
                          stated_emotion=e.stated_emotion,
                          measured_emotion=_emotion(e.measured_emotion))
                     for e in m.elements],
        "activities": [{"activity": a.activity, "events": a.events, "cases": a.cases,
                        "element": _element(a.element, names), "step": a.step, "how": a.how}
                       for a in m.activities],
        "unmapped": [{"activity": a.activity, "events": a.events, "cases": a.cases,
                      "why": a.how} for a in m.unmapped],
        "findings": [finding_record(f, names) for f in findings],
        "thresholds": {"voice_gap": thresholds.voice_gap, "long_wait": thresholds.long_wait,
                       "drop_off": thresholds.drop_off,
                       "skipped_support": thresholds.skipped_support,
                       "emotion_drift": thresholds.emotion_drift,
                       "min_cases": thresholds.min_cases},
    }


def to_json(document: Dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# -- CSV ------------------------------------------------------------------------

CSV_COLUMNS = ("row", "step", "model", "element_id", "name", "cases", "events", "reach",
               "lost_share", "wait_median_s", "wait_p90_s", "duration_median_s",
               "duration_p90_s", "repeated", "stated_emotion", "measured_emotion", "scores")
def _cell(value) -> str:
    # numbers stay numbers ("-3" is a negative score); text never becomes a formula
    return csv_cell(value) if isinstance(value, str) else ("" if value is None else str(value))


def to_csv(measurement: Measurement) -> str:
    """One row per clock, journey step and element (findings: use JSON)."""
    m = measurement
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for name, clock in (("process", m.process_clock), ("customer", m.customer_clock)):
        writer.writerow([_cell(v) for v in ("clock", None, None, None, name, clock.count, None,
                                            None, None, None, None, clock.median, clock.p90,
                                            None, None, None, None)])
    for s in m.steps:
        writer.writerow([_cell(v) for v in (
            "step", s.number, None, None, s.label, s.cases, None, s.reach, s.lost_share,
            s.wait.median, s.wait.p90, None, None, s.repeated, s.stated_emotion,
            s.measured_emotion.mean, s.measured_emotion.count)])
    for e in m.elements:
        writer.writerow([_cell(v) for v in (
            "element", None, e.element.model, e.element.element_id, e.name, e.cases,
            e.occurrences, None, None, None, None, e.duration.median, e.duration.p90, None,
            e.stated_emotion, e.measured_emotion.mean, e.measured_emotion.count)])
    return buffer.getvalue()


# -- Markdown and the terminal table ---------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def _md(value) -> str:
    text = " ".join(("" if value is None else str(value)).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def _plain(value) -> str:
    # Control characters from a hostile log never reach the terminal.
    return "".join(c if c.isprintable() else " " for c in " ".join(str(value).split()))


def _pct(share: Optional[float]) -> str:
    return "" if share is None else f"{share * 100:.0f}%"


def clocks_line(m: Measurement) -> str:
    ratio = f" ({m.clock_ratio:.1f}x)" if m.clock_ratio is not None else ""
    return (f"process {duration_text(m.process_clock.median)} \u00b7 customer "
            f"{duration_text(m.customer_clock.median)}, median{ratio}")


def _step_rows(m: Measurement) -> List[List[str]]:
    rows = []
    for s in m.steps:
        emotion = "" if s.measured_emotion.mean is None else f"{s.measured_emotion.mean:+.1f}"
        stated = "" if s.stated_emotion is None else f"{s.stated_emotion:+d}"
        rows.append([str(s.number), s.label + (" *" if s.moment_of_truth else ""),
                     s.observed, str(s.cases), _pct(s.reach),
                     duration_text(s.wait.median) if s.wait.count else "",
                     duration_text(s.wait.p90) if s.wait.count else "",
                     _pct(s.lost_share), str(s.repeated) if s.repeated else "", stated, emotion])
    return rows


_STEP_HEADER = ["step", "journey step (* moment of truth)", "seen", "cases", "reach",
                "wait median", "wait p90", "lost", "repeated", "stated", "measured"]


def to_markdown(m: Measurement, findings: Sequence[Finding]) -> str:
    out = [f"# Measured: {_md(m.log.source)}", "",
           f"- Events: {m.log.events} in {m.log.cases} cases ({m.log.bad_rows} bad rows)",
           f"- Clocks: {_md(clocks_line(m))}", ""]
    out += ["| " + " | ".join(_STEP_HEADER) + " |", "|" + "---|" * len(_STEP_HEADER)]
    out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in _step_rows(m)]
    out += ["", "| element | cases | occurrences | duration median | duration p90 |",
            "|---|---|---|---|---|"]
    for e in m.elements:
        out.append(f"| {_md(e.name)} | {e.cases} | {e.occurrences} | "
                   f"{duration_text(e.duration.median) if e.duration.count else ''} | "
                   f"{duration_text(e.duration.p90) if e.duration.count else ''} |")
    if m.unmapped:
        out += ["", "Unmapped activities:", ""]
        out += [f"- {_md(a.activity)}: {a.events} events in {a.cases} cases ({_md(a.how)})"
                for a in m.unmapped]
    out += ["", "| severity | kind | steps | message |", "|---|---|---|---|"]
    out += [f"| {f.severity} | {f.kind} | {' '.join(map(str, f.steps))} | {_md(f.message)} |"
            for f in findings]
    return "\n".join(out) + "\n"


def to_table(m: Measurement, findings: Sequence[Finding]) -> str:
    rows = [_STEP_HEADER] + [[_plain(c) for c in row] for row in _step_rows(m)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(_STEP_HEADER))]
    widths[1] = min(widths[1], 48)
    lines = [f"{m.log.events} events in {m.log.cases} cases; clocks: {clocks_line(m)}", ""]
    for row in rows:
        cells = [c[:w].ljust(w) for c, w in zip(row, widths)]
        lines.append("  ".join(cells).rstrip())
    if m.unmapped:
        lines += ["", "unmapped activities:"]
        lines += [f"  {_plain(a.activity)}: {a.events} events in {a.cases} cases ({a.how})"
                  for a in m.unmapped]
    lines += ["", f"{len(findings)} finding(s)" + (":" if findings else "")]
    lines += [f"  {f.severity:<8} {f.kind:<16} {_plain(f.message)}" for f in findings]
    return "\n".join(lines) + "\n"
