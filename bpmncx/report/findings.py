"""The gap analysis as data and as text: JSON document, CSV, Markdown.

:func:`analysis_document` is the one place that turns an
:class:`~bpmncx.analysis.Analysis` into plain data; the JSON output, and any
report that embeds findings, start from it. Its schema is documented in the
README ("bpmncx gaps") and versioned by ``SCHEMA``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any, Dict, List, Optional

from ..analysis import KINDS, Analysis, Finding
from ..files import csv_cell
from ..severity import SEVERITIES
from ..annotations import ElementRef
from .mermaid import mermaid_journey

SCHEMA = "bpmncx-gaps/1"

CSV_COLUMNS = ("severity", "kind", "steps", "persona", "elements", "element_names", "cell",
               "message")


def _element(analysis: Analysis, ref: ElementRef) -> Dict[str, str]:
    return {"model": ref.model, "id": ref.element_id, "name": analysis.element_name(ref)}


def finding_record(analysis: Analysis, finding: Finding) -> Dict[str, Any]:
    return {
        "kind": finding.kind,
        "severity": finding.severity,
        "message": finding.message,
        "persona": finding.persona,
        "step": finding.step,
        "steps": list(finding.steps),
        "elements": [_element(analysis, ref) for ref in finding.elements],
        "cell": finding.cell,
    }


def analysis_document(analysis: Analysis) -> Dict[str, Any]:
    """The analysis as JSON-ready data (dicts, lists, str, int, float, None).

    Pure and deterministic: lists keep the analysis's order (findings worst
    first, channels and stages in workbook order), so equal analyses give
    equal documents.
    """
    m = analysis.metrics
    document = {
        "schema": SCHEMA,
        "workbook": analysis.workbook,
        "models": [{"name": i.name, "file": i.path, "sha256": i.sha256} for i in analysis.models],
        "persona": analysis.persona,
        "findings": [finding_record(analysis, f) for f in analysis.findings],
        "metrics": {
            "journey_steps": m.steps,
            "supported_steps": m.supported_steps,
            "coverage": m.coverage,
            "touchpoints_per_channel": [
                {"channel": channel, "count": count} for channel, count in m.touchpoints_per_channel
            ],
            "steps_per_device": [
                {"device": device, "count": count} for device, count in m.steps_per_device
            ],
            "emotion_per_persona": [
                {"persona": e.label, "mean": e.mean, "count": e.count} for e in m.emotion_per_persona
            ],
            "emotion_per_stage": [
                {"stage": e.label, "mean": e.mean, "count": e.count} for e in m.emotion_per_stage
            ],
            "moments_of_truth": m.moments_of_truth,
            "moments_of_truth_at_risk": [
                {
                    "label": r.label,
                    "step": r.step,
                    "element": _element(analysis, r.element) if r.element else None,
                    "kinds": list(r.kinds),
                }
                for r in m.moments_of_truth_at_risk
            ],
            "handoffs": m.handoffs,
            "findings_per_severity": dict(m.findings_per_severity),
            "findings_per_kind": dict(m.findings_per_kind),
        },
    }
    measured = log_document(analysis)
    if measured is not None:  # only with --log: documents without a log stay as they were
        document["measures"] = measured
    return document


def log_document(analysis: Analysis) -> Optional[Dict[str, Any]]:
    """The event log's measurement (``bpmncx-measure/1`` without what the gaps document
    already has), or None when no log was measured."""
    measured = analysis.measured
    if measured is None:
        return None
    from ..eventlog.formats import measure_document

    document = measure_document(measured.measurement, measured.findings,
                                thresholds=measured.thresholds, survey=measured.survey)
    for key in ("schema", "workbook", "models", "persona", "findings"):
        document.pop(key, None)
    return document


def to_json(analysis: Analysis) -> str:
    """Byte-stable JSON: sorted keys, two-space indent, UTF-8 text, final newline."""
    return json.dumps(analysis_document(analysis), sort_keys=True, indent=2,
                      ensure_ascii=False) + "\n"


# -- CSV ------------------------------------------------------------------------

def to_csv(analysis: Analysis) -> str:
    """One row per finding, header first; cells that look like formulas are quoted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for f in analysis.findings:
        writer.writerow([csv_cell(v) for v in (
            f.severity,
            f.kind,
            " ".join(str(s) for s in f.steps),
            f.persona or "",
            "; ".join(f"{r.model}:{r.element_id}" for r in f.elements),
            "; ".join(analysis.element_name(r) for r in f.elements),
            f.cell,
            f.message,
        )])
    return buffer.getvalue()


# -- Markdown -------------------------------------------------------------------

# Inside a table cell only these can start markup (line-start ones like # cannot).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md_text(value: Optional[str]) -> str:
    """Untrusted text as inert Markdown table content: one line, markup escaped."""
    text = " ".join(("" if value is None else str(value)).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def summary_line(analysis: Analysis) -> str:
    counts = dict(analysis.metrics.findings_per_severity)
    total = len(analysis.findings)
    parts = ", ".join(f"{counts.get(s, 0)} {s}" for s in SEVERITIES)
    noun = "finding" if total == 1 else "findings"
    return f"{total} {noun}: {parts}"


def metrics_lines(analysis: Analysis) -> List[str]:
    m = analysis.metrics
    coverage = "n/a" if m.coverage is None else f"{m.coverage * 100:.0f}%"
    lines = [
        f"journey coverage: {coverage} ({m.supported_steps} of {m.steps} steps supported)",
        f"hand-offs: {m.handoffs}",
        f"moments of truth at risk: {len(m.moments_of_truth_at_risk)} of {m.moments_of_truth}",
    ]
    if m.touchpoints_per_channel:
        lines.append("touchpoints per channel: " + ", ".join(
            f"{channel} {count}" for channel, count in m.touchpoints_per_channel))
    if m.steps_per_device:
        lines.append("journey steps per device: " + ", ".join(
            f"{device} {count}" for device, count in m.steps_per_device))
    rated = [e for e in m.emotion_per_persona if e.count]
    if rated:
        lines.append("mean emotion per persona: " + ", ".join(
            f"{e.label} {e.mean:+.2f}" for e in rated))
    staged = [e for e in m.emotion_per_stage if e.count]
    if staged:
        lines.append("mean emotion per stage: " + ", ".join(
            f"{e.label} {e.mean:+.2f}" for e in staged))
    return lines


def to_markdown(analysis: Analysis) -> str:
    """A Markdown section: summary, findings table, metrics list."""
    title = "Gaps between the customer journey and the process"
    lines = [f"## {title}", ""]
    subject = ", ".join(i.name for i in analysis.models)
    lines.append(md_text(f"Models: {subject}; workbook: {analysis.workbook}"
                         + (f"; persona: {analysis.persona}" if analysis.persona else "")))
    lines += ["", f"**{md_text(summary_line(analysis))}**", ""]
    if analysis.findings:
        lines.append("| Severity | Kind | Step | Persona | Elements | Cell | Finding |")
        lines.append("|---|---|---|---|---|---|---|")
        for f in analysis.findings:
            cells = [
                f.severity,
                f.kind,
                ", ".join(str(s) for s in f.steps),
                f.persona or "",
                ", ".join(analysis.element_name(r) for r in f.elements),
                f.cell,
                f.message,
            ]
            lines.append("| " + " | ".join(md_text(c) for c in cells) + " |")
        lines.append("")
    lines += [f"- {md_text(line)}" for line in metrics_lines(analysis)]
    text = "\n".join(lines) + "\n"
    if analysis.steps:
        # The journey as a diagram GitHub, GitLab and most wikis draw (the persona's only).
        title = f"Customer journey of {subject}" + (f" ({analysis.persona})"
                                                     if analysis.persona else "")
        text += "\n" + mermaid_journey(analysis.annotations, title, analysis.persona)
    return text


__all__ = [
    "CSV_COLUMNS",
    "KINDS",
    "SCHEMA",
    "analysis_document",
    "finding_record",
    "md_text",
    "metrics_lines",
    "summary_line",
    "to_csv",
    "to_json",
    "to_markdown",
]
