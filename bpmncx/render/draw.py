"""Write scenes as SVG, PNG or PDF.

The SVG is written in-process from the scene (render.svg); PNG and PDF are drawn
from that SVG (render.raster: resvg in-process for PNG, rsvg-convert for PDF).
Graphviz only lays out models that carry no diagram (render.layout), through
:func:`run_bounded`. Outputs are written atomically.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

from ..errors import RenderError
from ..files import write_atomic
from ..limits import limit
from . import raster
from .graph import Scene
from .process import run_bounded  # noqa: F401  (layout.py and older callers import it here)
from .svg import svg_document

FORMATS = ("svg", "png", "pdf")
_SVG_START = b"<?xml"


@dataclass(frozen=True)
class Job:
    """Draw ``scene`` to ``path`` in ``fmt`` (svg, png, pdf) at ``scale``."""

    scene: Scene
    path: str
    fmt: str
    scale: float = 2.0


def svg_many(scenes: Sequence[Scene], scale: float = 1.0) -> List[bytes]:
    """The final SVG of each scene (written in-process)."""
    return [svg_document(scene, scale) for scene in scenes]


def render_jobs(jobs: Sequence[Job]) -> None:
    """Draw every job: the scene's SVG, and PNG or PDF drawn from it."""
    for fmt in {j.fmt for j in jobs} - set(FORMATS):
        raise RenderError(f"unknown output format '{fmt}' (use one of {', '.join(FORMATS)})")
    for job in jobs:
        refuse_too_large(job)  # before any work
    drawn: Dict[int, bytes] = {}  # one SVG per scene, whatever the formats
    for job in jobs:
        svg = drawn.get(id(job.scene))
        if svg is None:
            svg = drawn[id(job.scene)] = svg_document(job.scene)
        if job.fmt == "svg":
            data = svg
        else:
            data = raster.picture(svg, job.fmt, job.scale or 1.0, job.scene.source)
        write_atomic(job.path, data)


MAX_SIDE = 32767  # pixels a side of one PNG (many viewers and cairo stop there)
CAIRO_MAX_SIDE = MAX_SIDE
# points a side of one PDF. cairo (under rsvg-convert) computes in 24.8 fixed point, so
# coordinates past about 8 million units overflow: a page of 10,000,320 x 939,162 points
# (a fuzzed width of 1e7) took rsvg-convert to 24 GB when nothing bounded it.
PDF_MAX_SIDE = 1_000_000


def refuse_too_large(job: Job) -> None:
    """RenderError before any work when a PNG cannot or should not be drawn.

    A PNG is drawn as one bitmap of 4 bytes a pixel, so its area is bounded
    (BPMNCX_MAX_PNG_PIXELS), and its side too (32767: many viewers and cairo give up
    past it). Far-apart coordinates in a file (shapes at +-1e7) would otherwise take
    minutes and gigabytes before failing. A PDF is vector, drawn fast at any size its
    drawing program can compute in (PDF_MAX_SIDE).
    """
    if job.fmt == "png":
        _refuse_pixels(job.scene.source, job.scene.width, job.scene.height, job.scale)
    elif job.fmt == "pdf":
        _refuse_pdf(job.scene.source, job.scene.width, job.scene.height)


def _refuse_pdf(source: str, width_pt: float, height_pt: float) -> None:
    if max(width_pt, height_pt) > PDF_MAX_SIDE:
        raise RenderError(f"{source}: {width_pt:.0f} x {height_pt:.0f} points is too large "
                          f"for a PDF (at most {PDF_MAX_SIDE:,} a side); the diagram's "
                          "coordinates are too far apart; draw it as SVG")


def _refuse_pixels(source: str, width_pt: float, height_pt: float, scale: float) -> None:
    width, height = width_pt * scale, height_pt * scale
    size = f"{width:.0f} x {height:.0f} pixels"
    if max(width_pt, height_pt) > MAX_SIDE:
        fix = "the diagram's coordinates are too far apart; draw it as " + (
            "SVG" if max(width_pt, height_pt) > PDF_MAX_SIDE else "SVG or PDF")
    else:
        fix = "use a smaller --scale, or SVG or PDF"
    if max(width, height) > MAX_SIDE:
        raise RenderError(f"{source}: {size} is too large for a PNG (at most "
                          f"{MAX_SIDE} a side); {fix}")
    most = limit("BPMNCX_MAX_PNG_PIXELS")
    if width * height > most:
        raise RenderError(f"{source}: {size} is more than the {most:,} pixels a PNG "
                          f"may have (BPMNCX_MAX_PNG_PIXELS); {fix}")


def rasterise_svg(svg: bytes, width: float, height: float, fmt: str, scale: float = 2.0,
                  source: str = "picture") -> bytes:
    """A finished SVG picture (``width`` x ``height`` points) as PNG or PDF bytes,
    drawn the way the diagrams are (render.raster)."""
    if fmt not in ("png", "pdf"):
        raise RenderError(f"unknown output format '{fmt}' (use png or pdf)")
    if fmt == "png":
        _refuse_pixels(source, width, height, scale)
    else:
        _refuse_pdf(source, width, height)
    return raster.picture(svg, fmt, scale, source)
