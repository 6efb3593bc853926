"""The batch portfolio: what became of every model, and the files that say so.

:class:`ModelResult` and :class:`BatchResult` are the plain results a batch
collects (filled by :mod:`bpmncx.pipeline.batch`); this module alone turns them
into ``index.html`` (every model, worst first), ``summary.json`` and
``summary.csv``. The page is built as an lxml tree like the per-model report,
so names are escaped by the serializer; links are relative, so the output
folder can be zipped and mailed.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass, field
from typing import Dict, List, Optional
from urllib.parse import quote

from lxml.html import builder as E

from ..severity import SEVERITIES, at_or_above
from ..files import csv_cell, write_atomic
from .html import asset, page_head, percent, serialize, version

# -- results ----------------------------------------------------------------------


@dataclass
class ModelResult:
    """What became of one model; plain data, sent back from the worker."""

    path: str  # the model file as found
    rel: str
    shown: str = ""  # the model file relative to the inputs' common folder
    name: str = ""
    workbook: Optional[str] = None
    error: Optional[str] = None
    warnings: List[str] = field(default_factory=list)
    outputs: Dict[str, str] = field(default_factory=dict)  # format -> path relative to outdir
    analysed: bool = False
    steps: int = 0
    supported_steps: int = 0
    coverage: Optional[float] = None
    findings_per_severity: Dict[str, int] = field(default_factory=dict)
    moments_of_truth: int = 0
    moments_of_truth_at_risk: int = 0
    handoffs: int = 0
    findings: List[dict] = field(default_factory=list)
    # --persona each: the figures per persona (dicts: persona, negative, journey_steps,
    # supported_steps, coverage, findings_per_severity, moments_of_truth(_at_risk), handoffs)
    personas: List[dict] = field(default_factory=list)
    thumbnail: Optional[str] = None  # data: URI when no SVG file was written
    # With --compare-to REV: the model against its version at REV (see pipeline.history).
    compared: bool = False
    since_status: str = ""  # "new" | "changed" | "unchanged"; "" when not compared
    coverage_before: Optional[float] = None
    coverage_after: Optional[float] = None
    findings_new: int = 0
    findings_resolved: int = 0
    elements_changed: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None

    def count(self, severity: str) -> int:
        return self.findings_per_severity.get(severity, 0)

    def worst_first_key(self):
        return (self.ok, -self.count("critical"), -self.count("warning"),
                -self.count("info"), self.coverage if self.coverage is not None else 2.0, self.rel)


@dataclass
class BatchResult:
    outdir: str
    results: List[ModelResult]
    total: int
    interrupted: bool = False
    compared_to: Optional[str] = None  # the revision of --compare-to
    persona: Optional[str] = None  # --persona: the figures are this persona's journey

    @property
    def failed(self) -> List[ModelResult]:
        return [r for r in self.results if not r.ok]

    def at_or_above(self, severity: str) -> int:
        """How many findings, across models, are as bad as ``severity`` or worse."""
        return sum(r.count(s) for r in self.results for s in SEVERITIES if at_or_above(s, severity))

    def exit_code(self, fail_on: Optional[str] = None) -> int:
        if self.interrupted:
            return 130
        if self.failed:
            return 1
        if fail_on and self.at_or_above(fail_on):
            return 3
        return 0


# -- summary.json and summary.csv ---------------------------------------------------


def summary_document(batch: BatchResult) -> dict:
    """``summary.json``: every model with its figures, and every finding across models."""
    models = []
    findings = []
    for r in sorted(batch.results, key=ModelResult.worst_first_key):
        models.append({
            "file": r.path,
            "model": r.name,
            "output": r.rel,
            "workbook": r.workbook,
            "status": "ok" if r.ok else "error",
            "error": r.error,
            "warnings": list(r.warnings),
            "analysed": r.analysed,
            "journey_steps": r.steps,
            "supported_steps": r.supported_steps,
            "coverage": r.coverage,
            "findings_per_severity": {s: r.count(s) for s in SEVERITIES},
            "moments_of_truth": r.moments_of_truth,
            "moments_of_truth_at_risk": r.moments_of_truth_at_risk,
            "handoffs": r.handoffs,
            "outputs": dict(sorted(r.outputs.items())),
            "personas": [dict(p) for p in r.personas],
            "comparison": _comparison(r) if batch.compared_to is not None else None,
        })
    for r in sorted(batch.results, key=lambda r: r.rel):
        for finding in r.findings:
            findings.append({"file": r.path, "model": r.name, **finding})
    totals = {s: sum(r.count(s) for r in batch.results) for s in SEVERITIES}
    return {
        "schema": "bpmncx-batch/1",
        "models_found": batch.total,
        "models_done": len(batch.results),
        "models_failed": len(batch.failed),
        "interrupted": batch.interrupted,
        "persona": batch.persona,
        "findings_per_severity": totals,
        "compared_to": batch.compared_to,
        "models": models,
        "findings": findings,
    }


def _comparison(r: ModelResult) -> Optional[dict]:
    """A model against its version at --compare-to (None: not compared, e.g. it failed)."""
    if not r.compared:
        return None
    return {"status": r.since_status, "coverage_before": r.coverage_before,
            "coverage_after": r.coverage_after, "findings_new": r.findings_new,
            "findings_resolved": r.findings_resolved, "elements_changed": r.elements_changed}


SUMMARY_CSV_COLUMNS = ("file", "model", "severity", "kind", "steps", "persona", "elements",
                       "element_names", "cell", "message")


def summary_csv(batch: BatchResult) -> str:
    """``summary.csv``: one row per finding across all models (formula-safe cells)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(SUMMARY_CSV_COLUMNS)
    for r in sorted(batch.results, key=lambda r: r.rel):
        for f in r.findings:
            elements = f.get("elements") or []
            writer.writerow([csv_cell(v) for v in (
                r.path, r.name, f.get("severity"), f.get("kind"),
                " ".join(str(s) for s in f.get("steps") or []), f.get("persona") or "",
                "; ".join(f"{e['model']}:{e['id']}" for e in elements),
                "; ".join(e.get("name") or e["id"] for e in elements),
                f.get("cell"), f.get("message"),
            )])
    return buffer.getvalue()


PERSONA_CSV_COLUMNS = ("file", "model", "persona", "negative", "journey_steps",
                       "supported_steps", "coverage", *SEVERITIES, "moments_of_truth",
                       "moments_of_truth_at_risk", "handoffs")


def personas_csv(batch: BatchResult) -> str:
    """``summary-personas.csv`` (--persona each): one row per model and persona with the
    figures of that persona's journey (formula-safe cells)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(PERSONA_CSV_COLUMNS)
    for r in sorted(batch.results, key=lambda r: r.rel):
        for p in r.personas:
            counts = p.get("findings_per_severity") or {}
            writer.writerow([csv_cell(v) for v in (
                r.path, r.name, p["persona"], "yes" if p.get("negative") else "no",
                p["journey_steps"], p["supported_steps"],
                "" if p["coverage"] is None else p["coverage"],
                *(counts.get(sev, 0) for sev in SEVERITIES), p["moments_of_truth"],
                p["moments_of_truth_at_risk"], p["handoffs"],
            )])
    return buffer.getvalue()


def summary_json(batch: BatchResult) -> str:
    return json.dumps(summary_document(batch), indent=2, sort_keys=False, ensure_ascii=False) + "\n"


# -- index.html ---------------------------------------------------------------------

_OUTPUT_LABELS = (("html", "report"), ("svg", "SVG"), ("png", "PNG"), ("pdf", "PDF"),
                  ("bpmn", "BPMN"), ("xlsx", "Excel"))


def _href(rel_path: str) -> str:
    return quote(rel_path, safe="/")


def _thumbnail(result):
    if "svg" in result.outputs:
        src = _href(result.outputs["svg"])
    elif result.thumbnail:
        src = result.thumbnail
    else:
        return E.TD()
    img = E.IMG({"class": "thumb", "src": src, "alt": f"diagram of {result.name}", "loading": "lazy"})
    if "html" in result.outputs:
        return E.TD(E.A(img, href=_href(result.outputs["html"])))
    return E.TD(img)


def _since_cells(result):
    """Coverage at the revision -> now, findings new and resolved since (--compare-to)."""
    if not result.compared:
        return [E.TD("\u2013", **{"data-value": "-9"}), E.TD("\u2013", **{"data-value": "-1"}),
                E.TD("\u2013", **{"data-value": "-1"})]
    if result.since_status == "new":
        coverage = "new model" + (f" ({percent(result.coverage_after)})"
                                  if result.coverage_after is not None else "")
    elif result.coverage_before is None and result.coverage_after is None:
        coverage = result.since_status
    else:
        coverage = f"{percent(result.coverage_before)} \u2192 {percent(result.coverage_after)}"
        if result.since_status == "unchanged":
            coverage = f"unchanged ({percent(result.coverage_after)})"
    delta = ((result.coverage_after or 0.0) - (result.coverage_before or 0.0))
    title = (f"{result.elements_changed} element(s) added, removed or changed"
             if result.since_status == "changed" else result.since_status)
    return [
        E.TD(coverage, title=title, **{"data-value": f"{delta:.6f}", "class": "num"}),
        E.TD(str(result.findings_new), **{"class": "num", "data-value": str(result.findings_new)}),
        E.TD(str(result.findings_resolved),
             **{"class": "num", "data-value": str(result.findings_resolved)}),
    ]


def _row(result, compared: bool = False):
    name = E.STRONG(result.name)
    link = E.A(name, href=_href(result.outputs["html"])) if "html" in result.outputs else name
    outputs = []
    for fmt, label in _OUTPUT_LABELS:
        if fmt in result.outputs:
            if outputs:
                outputs.append(" \u00b7 ")
            outputs.append(E.A(label, href=_href(result.outputs[fmt])))
    model_cell = E.TD(link, E.BR(), E.SMALL(result.shown or result.path), **{"data-value": result.rel})
    if result.personas:
        model_cell.append(_persona_rows(result.personas))
    if result.error:
        model_cell.append(E.DIV({"class": "error"}, f"error: {result.error}"))
    if not result.workbook:
        model_cell.append(E.DIV(E.SMALL("no workbook: plain diagram only")))
    coverage = E.TD(percent(result.coverage) if result.analysed else "\u2013",
                    **{"data-value": "-1" if result.coverage is None else f"{result.coverage:.6f}",
                       "class": "num"})
    counts = [E.TD(str(result.count(s)), **{"class": "num", "data-value": str(result.count(s))})
              for s in SEVERITIES]
    return E.TR(
        _thumbnail(result),
        model_cell,
        coverage,
        *(_since_cells(result) if compared else []),
        *counts,
        E.TD(str(result.moments_of_truth_at_risk), **{"class": "num"}),
        E.TD(str(result.handoffs), **{"class": "num"}),
        E.TD(*outputs),
        **({"class": "failed"} if result.error else {}),
    )


def _persona_rows(personas: List[dict]):
    """--persona each: a row per persona inside the model's cell (so sorting the
    portfolio keeps them with their model)."""
    head = E.TR(*[E.TH(h) for h in ("Persona", "Coverage", *[x.capitalize() for x in SEVERITIES],
                                     "Moments of truth at risk")])
    rows = []
    for p in personas:
        counts = p.get("findings_per_severity") or {}
        name = p["persona"] + (" (negative persona)" if p.get("negative") else "")
        rows.append(E.TR(E.TD(name), E.TD(percent(p["coverage"])),
                         *[E.TD(str(counts.get(x, 0)), **{"class": "num"}) for x in SEVERITIES],
                         E.TD(str(p["moments_of_truth_at_risk"]), **{"class": "num"})))
    return E.TABLE({"class": "personas"}, E.THEAD(head), E.TBODY(*rows))


def _scope(persona: Optional[str]) -> str:
    """Whose journey the portfolio's figures cover: a report for one persona next to figures
    for all would otherwise mislead."""
    if persona and persona.strip().casefold() == "each":
        return ("Figures for every persona's journey, diagrams coloured by the lowest emotion "
                "across personas; under each model, one row per persona with the figures of "
                "that persona's journey (also in summary.json and summary-personas.csv).")
    if persona:
        return (f"Figures for the persona {persona}: their journey steps (and the steps without "
                "a persona) and their emotions; diagrams coloured by their emotions.")
    return ("Figures for every persona's journey; diagrams coloured by the lowest emotion "
            "across personas. Run bpmncx batch --persona NAME for one persona's figures.")


def index_tree(batch: "BatchResult"):
    results = sorted(batch.results, key=ModelResult.worst_first_key)
    totals = {s: sum(r.count(s) for r in results) for s in SEVERITIES}
    title = "Process portfolio: customer journey gaps"
    summary = [f"{len(results)} of {batch.total} models processed",
               f"{len(batch.failed)} could not be processed"]
    summary += [f"{totals[s]} {s}" for s in SEVERITIES]
    main = [E.P({"class": "sub"}, ", ".join(summary) + "."),
            E.P({"class": "legend"}, _scope(batch.persona))]
    if batch.compared_to is not None:
        compared = [r for r in results if r.compared]
        counts = {k: sum(1 for r in compared if r.since_status == k)
                  for k in ("changed", "new", "unchanged")}
        main.append(E.P({"class": "sub"}, f"Compared with {batch.compared_to}: "
                        f"{counts['changed']} changed, {counts['new']} new, "
                        f"{counts['unchanged']} unchanged; "
                        f"{sum(r.findings_new for r in compared)} new finding(s), "
                        f"{sum(r.findings_resolved for r in compared)} resolved."))
    if batch.interrupted:
        main.append(E.P({"class": "note"}, f"Interrupted: only {len(results)} of {batch.total} models "
                                           "were processed; run the batch again to finish."))
    failed = [r for r in results if r.error]
    if failed:
        main.append(E.H2("Could not be processed"))
        main.append(E.UL(*[E.LI(E.CODE(r.shown or r.path), ": ", r.error) for r in failed]))
    headers = [("Diagram", ""), ("Model", "text"), ("Coverage", "number")]
    compared = batch.compared_to is not None
    if compared:
        rev = batch.compared_to
        headers += [(f"Coverage {rev} \u2192 now", "number"), (f"New findings since {rev}", "number"),
                    (f"Resolved since {rev}", "number")]
    headers += [(s.capitalize(), "number") for s in SEVERITIES]
    headers += [("Moments of truth at risk", "number"), ("Hand-offs", "number"), ("Files", "")]
    head = E.TR(*[E.TH(label, **({"class": "sortable", "data-type": kind} if kind else {}))
                  for label, kind in headers])
    main.append(E.H2("Models, worst first"))
    main.append(E.P({"class": "legend"}, "Click a column header to sort; click a diagram or a name "
                                         "for the model's report."))
    main.append(E.TABLE({"class": "sortable portfolio"}, E.THEAD(head), E.TBODY(*[_row(r, compared) for r in results])))
    return E.HTML(
        page_head(title, policy=False),
        E.BODY(
            E.HEADER(E.H1(title)),
            E.MAIN(*main),
            E.FOOTER(f"Made by bpmncx {version()}. Links are relative: keep the folder together."),
            E.SCRIPT(asset("report.js")),
        ),
        lang="en",
    )


def index_html(batch) -> bytes:
    return serialize(index_tree(batch))


def write_portfolio(batch: "BatchResult") -> None:
    """Write index.html, summary.json and summary.csv into the batch's output folder."""
    write_atomic(os.path.join(batch.outdir, "summary.json"), summary_json(batch).encode("utf-8"))
    write_atomic(os.path.join(batch.outdir, "summary.csv"), summary_csv(batch).encode("utf-8"))
    if any(r.personas for r in batch.results):
        write_atomic(os.path.join(batch.outdir, "summary-personas.csv"),
                     personas_csv(batch).encode("utf-8"))
    write_atomic(os.path.join(batch.outdir, "index.html"), index_html(batch))


__all__ = ["BatchResult", "ModelResult", "index_html", "index_tree", "personas_csv", "summary_csv",
           "summary_document", "summary_json", "write_portfolio"]
