"""The comparison of two versions as one self-contained HTML page.

Per model: the headline a reviewer reads first, the visual diff (the new
version's diagram with what changed marked, see :mod:`bpmncx.render.diffview`)
and the tables of the changes in the wording of :mod:`bpmncx.report.diff`.
Built as an lxml tree like the per-model report (names are escaped by the
serializer), inline CSS and script, nothing fetched. Same input, same bytes.
"""

from __future__ import annotations

from typing import Optional, Sequence

from lxml.html import builder as E

from ..diff import Diff, ModelDiff
from ..severity import SEVERITY_RANK
from .diff import (
    describe_element,
    describe_emotion,
    describe_flow,
    describe_step,
    headline,
    listed_steps,
)
from .html import asset, diagram_box, page_head, serialize, table, version

_GLYPH = {"added": "+", "changed": "~", "removed": "\u2212"}


def _cls(name: str):
    return {"class": name}


def _title(m: ModelDiff) -> str:
    side = m.new or m.old
    return side.file if side is not None else m.model


def _findings(m: ModelDiff):
    c = m.consequences
    if c is None:
        return []
    rows = []
    for f in c.findings:
        if f.change == "unchanged":
            continue
        finding = f.finding
        severity = (f"{f.old.severity} \u2192 {f.new.severity}" if f.change in ("worse", "better")
                    else finding.severity)
        rows.append(E.TR(
            E.TD(f.change),
            E.TD(severity, **{"data-value": str(SEVERITY_RANK.get(finding.severity, 9))}),
            E.TD(finding.kind),
            E.TD(", ".join(str(s) for s in finding.steps)),
            E.TD(finding.message),
        ))
    parts = []
    if rows:
        parts += [E.H3("Findings that changed"),
                  table([("Change", "text"), ("Severity", "number"), ("Kind", "text"),
                         ("Steps", "text"), ("Finding", "text")], rows)]
    unchanged = len(c.of_change("unchanged"))
    if unchanged:
        parts.append(E.P(f"{unchanged} finding(s) unchanged."))
    if c.moments_newly_at_risk:
        parts += [E.H3("Moments of truth newly at risk"),
                  E.UL(*[E.LI(f"{mo.label} ({', '.join(mo.kinds)})")
                         for mo in c.moments_newly_at_risk])]
    return parts


def _changes(m: ModelDiff):
    parts = []
    rows = []
    for change in m.process.elements:
        what, label, details = describe_element(change)
        rows.append(E.TR(E.TD(f"{_GLYPH[change.change]} {what}",
                              **{"data-diff": change.change}),
                         E.TD(label), E.TD(change.id), E.TD(details)))
    if rows:
        parts += [E.H3("Elements"), table([("Change", "text"), ("Element", "text"),
                                           ("Id", "text"), ("Details", "text")], rows)]
    if m.process.flows:
        parts += [E.H3("Flows"), table([("Change", "text"), ("Connection", "text")],
                                       [E.TR(E.TD(f.change), E.TD(describe_flow(f)))
                                        for f in m.process.flows])]
    if m.journey is not None:
        steps = [E.TR(*[E.TD(cell) for cell in describe_step(s)])
                 for s in listed_steps(m.journey.steps)]
        if steps:
            parts += [E.H3("Journey steps"), table([("Change", "text"), ("Step", "text"),
                                                    ("Details", "text")], steps)]
        emotions = [E.TR(*[E.TD(cell) for cell in describe_emotion(e)])
                    for e in m.journey.emotions]
        if emotions:
            parts += [E.H3("Emotions"), table([("Of", "text"), ("Persona", "text"),
                                               ("Before", "text"), ("After", "text")], emotions)]
    return parts


def _model_section(m: ModelDiff, svg: Optional[bytes]):
    old = (f"{m.old.file}" + (f" with {m.old.workbook}" if m.old.workbook else "")
           if m.old else "none (new model)")
    new = (f"{m.new.file}" + (f" with {m.new.workbook}" if m.new.workbook else "")
           if m.new else "none (deleted)")
    parts = [E.H2(_title(m)), E.P(E.STRONG(headline(m))),
             E.P(_cls("sub"), f"Before: {old}; after: {new}")]
    if svg is not None:
        parts += [diagram_box(svg),
                  E.P(_cls("legend"), "The new version: added elements outlined green (+), "
                      "changed amber (~), removed ones as red dashed ghosts (\u2212) where "
                      "they were. Scroll to zoom, drag to move, hover for details.")]
    elif m.new is None:
        parts.append(E.P(_cls("note"), "The model was deleted: there is no new diagram to draw."))
    parts += _findings(m) + _changes(m)
    return E.SECTION(*parts, **{"data-model": m.model})


def diff_html(diff: Diff, svgs: Sequence[Optional[bytes]]) -> bytes:
    """The page for ``diff``; ``svgs[i]`` is the visual diff of ``diff.models[i]`` (None:
    not drawn, e.g. a deleted model)."""
    title = f"bpmncx diff: {diff.old} \u2192 {diff.new}"
    summary = f"{len(diff.models)} model(s) changed, {len(diff.unchanged)} unchanged"
    main = [E.P(_cls("sub"), summary)]
    if diff.models:
        main.append(E.UL(*[E.LI(E.STRONG(_title(m)), ": ", headline(m)) for m in diff.models]))
    else:
        main.append(E.P("No model changed."))
    for m, svg in zip(diff.models, svgs):
        main.append(_model_section(m, svg))
    return serialize(E.HTML(
        page_head(title),
        E.BODY(E.HEADER(E.H1(title)), E.MAIN(*main),
               E.FOOTER(f"Made by bpmncx {version()}. Self-contained page: nothing is loaded "
                        "from the network."),
               E.SCRIPT(asset("report.js"))),
        lang="en",
    ))


__all__ = ["diff_html"]
