"""The batch portfolio: ``index.html`` (every model, worst first), ``summary.json``, ``summary.csv``.

Built as an lxml tree like the per-model report, so names are escaped by the
serializer; links are relative, so the output folder can be zipped and mailed.
"""

from __future__ import annotations

import os
from urllib.parse import quote

from lxml.html import builder as E

from .html import SEVERITIES, SEVERITY_RANK, _asset, _percent, _version, serialize

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


def _row(result):
    name = E.STRONG(result.name)
    link = E.A(name, href=_href(result.outputs["html"])) if "html" in result.outputs else name
    outputs = []
    for fmt, label in _OUTPUT_LABELS:
        if fmt in result.outputs:
            if outputs:
                outputs.append(" \u00b7 ")
            outputs.append(E.A(label, href=_href(result.outputs[fmt])))
    model_cell = E.TD(link, E.BR(), E.SMALL(result.shown or result.path), **{"data-value": result.rel})
    if result.error:
        model_cell.append(E.DIV({"class": "error"}, f"error: {result.error}"))
    if not result.workbook:
        model_cell.append(E.DIV(E.SMALL("no workbook: plain diagram only")))
    coverage = E.TD(_percent(result.coverage) if result.analysed else "\u2013",
                    **{"data-value": "-1" if result.coverage is None else f"{result.coverage:.6f}",
                       "class": "num"})
    counts = [E.TD(str(result.count(s)), **{"class": "num", "data-value": str(result.count(s))})
              for s in SEVERITIES]
    return E.TR(
        _thumbnail(result),
        model_cell,
        coverage,
        *counts,
        E.TD(str(result.moments_of_truth_at_risk), **{"class": "num"}),
        E.TD(str(result.handoffs), **{"class": "num"}),
        E.TD(*outputs),
        **({"class": "failed"} if result.error else {}),
    )


def index_tree(batch):
    from ..batch import ModelResult

    results = sorted(batch.results, key=ModelResult.worst_first_key)
    totals = {s: sum(r.count(s) for r in results) for s in SEVERITIES}
    title = "Process portfolio: customer journey gaps"
    summary = [f"{len(results)} of {batch.total} models processed",
               f"{len(batch.failed)} could not be processed"]
    summary += [f"{totals[s]} {s}" for s in SEVERITIES]
    main = [E.P({"class": "sub"}, ", ".join(summary) + ".")]
    if batch.interrupted:
        main.append(E.P({"class": "note"}, f"Interrupted: only {len(results)} of {batch.total} models "
                                           "were processed; run the batch again to finish."))
    failed = [r for r in results if r.error]
    if failed:
        main.append(E.H2("Could not be processed"))
        main.append(E.UL(*[E.LI(E.CODE(r.shown or r.path), ": ", r.error) for r in failed]))
    headers = [("Diagram", ""), ("Model", "text"), ("Coverage", "number")]
    headers += [(s.capitalize(), "number") for s in SEVERITIES]
    headers += [("Moments of truth at risk", "number"), ("Hand-offs", "number"), ("Files", "")]
    head = E.TR(*[E.TH(label, **({"class": "sortable", "data-type": kind} if kind else {}))
                  for label, kind in headers])
    main.append(E.H2("Models, worst first"))
    main.append(E.P({"class": "legend"}, "Click a column header to sort; click a diagram or a name "
                                         "for the model's report."))
    main.append(E.TABLE({"class": "sortable portfolio"}, E.THEAD(head), E.TBODY(*[_row(r) for r in results])))
    return E.HTML(
        E.HEAD(
            E.META(charset="utf-8"),
            E.META(name="viewport", content="width=device-width, initial-scale=1"),
            E.TITLE(title),
            E.STYLE(_asset("report.css")),
        ),
        E.BODY(
            E.HEADER(E.H1(title)),
            E.MAIN(*main),
            E.FOOTER(f"Made by bpmncx {_version()}. Links are relative: keep the folder together."),
            E.SCRIPT(_asset("report.js")),
        ),
        lang="en",
    )


def index_html(batch) -> bytes:
    return serialize(index_tree(batch))


def write_portfolio(batch) -> None:
    """Write index.html, summary.json and summary.csv into the batch's output folder."""
    from ..batch import summary_csv, summary_json
    from ..files import write_atomic

    write_atomic(os.path.join(batch.outdir, "summary.json"), summary_json(batch).encode("utf-8"))
    write_atomic(os.path.join(batch.outdir, "summary.csv"), summary_csv(batch).encode("utf-8"))
    write_atomic(os.path.join(batch.outdir, "index.html"), index_html(batch))


__all__ = ["index_html", "index_tree", "write_portfolio", "SEVERITY_RANK"]
