"""A model seen through one analysis, and the files made from it.

A :class:`View` is what every output of one (model, persona) is made from:
each diagram's scene is built once and its SVG drawn once, then the same SVG goes
into the ``.svg`` file and the HTML report. ``annotate`` and ``batch`` both write
through :func:`document`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Sequence

from ..analysis import Analysis
from ..annotations import Annotations
from ..bpmn.write import annotate_bpmn
from ..bpmn.xml import read_bytes
from ..model import Model
from ..render import ALL_DIAGRAMS, Scene, planes_to_draw, scene_for
from ..render.overlay import annotated_scene
from .outputs import diagram_slugs

DOCUMENT_FORMATS = ("bpmn", "html", "xlsx", "blueprint")


@dataclass
class Drawing:
    """One more diagram of a view's model (a drill-down, or another view of it)."""

    label: str  # the diagram's name, else its id
    slug: str  # its part of the file names (pipeline.outputs.diagram_slugs)
    element_id: str  # what it shows: the (collapsed) sub-process, process or collaboration
    scene: Scene


@dataclass
class View:
    """One model as one output set shows it: annotated by ``analysis`` (for its
    persona), or the plain diagram when there is no analysis. ``annotations`` may
    be there without an analysis: a workbook whose errors the report lists.
    ``scene`` is the main diagram; ``more`` the model's other diagrams when every
    one is drawn (``--diagram all``, batch), in file order."""

    model: Model
    analysis: Optional[Analysis]
    scene: Scene
    annotations: Optional[Annotations] = None
    more: List[Drawing] = field(default_factory=list)
    main_slug: Optional[str] = None  # the main diagram's file-name part when every one is drawn
    compare: bool = False  # every persona side by side (annotate --persona compare)


def view_of(model: Model, analysis: Optional[Analysis] = None, diagram: Optional[str] = None,
            annotations: Optional[Annotations] = None, compare: bool = False) -> View:
    """The view of ``model``: the diagram ``diagram`` picks (default the main one), or
    every diagram for ``"all"``, each with the analysis laid over it (``compare``: with
    every persona's emotion curve on the journey band)."""
    planes = planes_to_draw(model, diagram)
    slugs = diagram_slugs([plane for plane in planes if plane is not None])

    def scene(plane):
        if analysis is not None:
            return annotated_scene(model, analysis, diagram, plane=plane, compare=compare)
        return scene_for(model, diagram, plane=plane)

    more = [Drawing(plane.label, slugs[index], plane.element_id, scene(plane))
            for index, plane in enumerate(planes) if index > 0 and plane is not None]
    main_slug = slugs.get(0) if diagram == ALL_DIAGRAMS and planes[0] is not None else None
    return View(model, analysis, scene(planes[0]),
                analysis.annotations if analysis is not None else annotations, more, main_slug,
                compare and analysis is not None)


def blueprint_of(view: View) -> bytes:
    """The service blueprint of one model as its analysis sees it (SVG bytes)."""
    from ..render.blueprint import blueprint_svg

    return blueprint_svg([view.model], view.analysis, f"{view.model.name}: service blueprint")


def document(view: View, fmt: str, svg: Optional[bytes],
             more_svgs: Sequence[Optional[bytes]] = ()) -> Optional[bytes]:
    """The bytes of one non-picture output (annotated BPMN, HTML, Excel report, service
    blueprint), or None when the view cannot have it (no analysis: no annotated BPMN, no
    Excel report, no blueprint). ``more_svgs``: the SVGs of ``view.more``, shown in the HTML
    report after the main one."""
    if fmt == "html":
        from ..report.html import DiagramPart, report_html

        parts = [DiagramPart(d.label, d.element_id, data)
                 for d, data in zip(view.more, more_svgs) if data is not None]
        blueprint = blueprint_of(view) if view.analysis is not None else None
        return report_html(view.model, svg, view.annotations, view.analysis, more=parts,
                           blueprint=blueprint, compare=view.compare)
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
