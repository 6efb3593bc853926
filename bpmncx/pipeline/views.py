"""A model seen through one analysis, and the files made from it.

A :class:`View` is what every output of one (model, persona) is made from:
the scene is built once and its SVG drawn once, then the same SVG goes into
the ``.svg`` file and the HTML report. ``annotate`` and ``batch`` both write
through :func:`document`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ..analysis import Analysis
from ..annotations import Annotations
from ..bpmn.write import annotate_bpmn
from ..bpmn.xml import read_bytes
from ..model import Model
from ..render import Scene, scene_for
from ..render.overlay import annotated_scene

DOCUMENT_FORMATS = ("bpmn", "html", "xlsx", "blueprint")


@dataclass
class View:
    """One model as one output set shows it: annotated by ``analysis`` (for its
    persona), or the plain diagram when there is no analysis. ``annotations`` may
    be there without an analysis: a workbook whose errors the report lists."""

    model: Model
    analysis: Optional[Analysis]
    scene: Scene
    annotations: Optional[Annotations] = None


def view_of(model: Model, analysis: Optional[Analysis] = None, diagram: Optional[str] = None,
            annotations: Optional[Annotations] = None) -> View:
    if analysis is not None:
        return View(model, analysis, annotated_scene(model, analysis, diagram), analysis.annotations)
    return View(model, None, scene_for(model, diagram), annotations)


def blueprint_of(view: View) -> bytes:
    """The service blueprint of one model as its analysis sees it (SVG bytes)."""
    from ..render.blueprint import blueprint_svg

    return blueprint_svg([view.model], view.analysis, f"{view.model.name}: service blueprint")


def document(view: View, fmt: str, svg: Optional[bytes]) -> Optional[bytes]:
    """The bytes of one non-picture output (annotated BPMN, HTML, Excel report, service
    blueprint), or None when the view cannot have it (no analysis: no annotated BPMN, no
    Excel report, no blueprint)."""
    if fmt == "html":
        from ..report.html import report_html

        blueprint = blueprint_of(view) if view.analysis is not None else None
        return report_html(view.model, svg, view.annotations, view.analysis, blueprint=blueprint)
    if view.analysis is None:
        return None
    if fmt == "blueprint":
        return blueprint_of(view)
    if fmt == "bpmn":
        return annotate_bpmn(view.model, read_bytes(view.model.path), view.analysis, view.model.path)
    if fmt == "xlsx":
        from ..report.xlsx import report_xlsx  # openpyxl: loaded only for an Excel report

        return report_xlsx(view.model, view.analysis)
    raise ValueError(f"not a document format: {fmt}")
