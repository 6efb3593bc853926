"""Draw BPMN diagrams in the modeller's own layout: SVG, PNG, PDF.

Library entry points (the CLI's ``render`` and ``annotate`` call these):

* :func:`scene_for` - the scene of one model's diagram (with an overlay);
* :func:`render_many` - draw many (model, output path) pairs; :func:`render` is
  the same for one model;
* :func:`render_svg` - the SVG bytes of one model, without writing a file or
  starting a process.

The SVG is written in-process (render.svg); PNG and PDF are drawn from it
(render.raster). Graphviz ``dot`` only lays out models without a diagram.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple

from ..errors import RenderError
from ..model import Model, Plane
from .draw import FORMATS, Job, render_jobs, svg_many
from .graph import Overlay, Scene, build_scene
from .layout import GENERATED_PLANE_ID

DEFAULT_SCALE = 2.0

__all__ = [
    "ALL_DIAGRAMS",
    "DEFAULT_SCALE",
    "FORMATS",
    "Overlay",
    "RenderOptions",
    "Scene",
    "format_of",
    "other_diagrams_note",
    "planes_to_draw",
    "render",
    "render_many",
    "render_svg",
    "scene_for",
    "select_plane",
]


@dataclass(frozen=True)
class RenderOptions:
    diagram: Optional[str] = None  # BPMNDiagram or BPMNPlane id; None: the main plane
    scale: float = DEFAULT_SCALE  # PNG pixels per point


ALL_DIAGRAMS = "all"  # --diagram all: every diagram that draws something


def select_plane(model: Model, diagram: Optional[str] = None) -> Optional[Plane]:
    """The plane to draw: by diagram or plane id, else the model's main plane."""
    if diagram is None or diagram == ALL_DIAGRAMS:
        return model.main_plane if model.has_di else None
    for plane in model.planes:
        if diagram in (plane.diagram_id, plane.id):
            return plane
    known = ", ".join(p.diagram_id or p.id for p in model.planes) or "none"
    raise RenderError(f"{model.path}: no diagram '{diagram}' (diagrams: {known})")


def planes_to_draw(model: Model, diagram: Optional[str] = None) -> List[Optional[Plane]]:
    """The planes one output set draws: every drawn diagram for ``"all"`` (the main one
    first), else the one :func:`select_plane` picks. None: a layout is generated."""
    if diagram == ALL_DIAGRAMS and model.has_di:
        return list(model.drawn_planes)
    return [select_plane(model, diagram)]


def other_diagrams_note(model: Model) -> Optional[str]:
    """When only the main diagram is drawn: a one-line note naming the others."""
    drawn = model.drawn_planes if model.has_di else []
    if len(drawn) < 2:
        return None
    others = ", ".join(f"'{plane.label}'" for plane in drawn[1:])
    return (f"{model.path}: drew the first of {len(drawn)} diagrams, '{drawn[0].label}'; "
            f"also has {others} (--diagram all draws every one)")


def scene_for(model: Model, diagram: Optional[str] = None,
              overlay: Optional[Overlay] = None, plane: Optional[Plane] = None) -> Scene:
    """The scene of ``model``; a layout is generated (Graphviz dot) when the file has none."""
    if plane is None:
        plane = select_plane(model, diagram)
    generated = plane is None or not plane.shapes or plane.id == GENERATED_PLANE_ID
    if plane is None or not plane.shapes:
        from .layout import generate_plane

        plane = generate_plane(model)
    scene = build_scene(model, plane, overlay)
    if generated:
        scene.layout_generated = True
        scene.warnings.insert(0, f"{model.path}: the file has no diagram layout; "
                                 "a layout was generated with Graphviz dot")
    return scene


def format_of(path: str) -> str:
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    if ext not in FORMATS:
        raise RenderError(f"{path}: unknown output format '.{ext}' "
                          f"(use {', '.join('.' + f for f in FORMATS)})")
    return ext


def render_many(items: Sequence[Tuple], options: RenderOptions = RenderOptions(),
                overlays: Optional[Sequence[Optional[Overlay]]] = None) -> List[str]:
    """Draw each (model, output path) or (model, output path, plane); the format comes
    from the path's extension, the plane (when not given) from ``options.diagram``.

    Returns the warnings (layout generated, edges that could not be drawn).
    """
    jobs = []
    warnings: List[str] = []
    for index, (model, path, *plane) in enumerate(items):
        overlay = overlays[index] if overlays else None
        scene = scene_for(model, options.diagram, overlay, plane=plane[0] if plane else None)
        warnings.extend(scene.warnings)
        jobs.append(Job(scene, os.fspath(path), format_of(os.fspath(path)), options.scale))
    render_jobs(jobs)
    return warnings


def render(model: Model, path: str, options: RenderOptions = RenderOptions(),
           overlay: Optional[Overlay] = None) -> List[str]:
    """Draw one model to ``path`` (.svg, .png or .pdf); returns the warnings."""
    return render_many([(model, path)], options, [overlay])


def render_svg(model: Model, diagram: Optional[str] = None,
               overlay: Optional[Overlay] = None) -> bytes:
    """The SVG document of one model's diagram."""
    return svg_many([scene_for(model, diagram, overlay)])[0]
