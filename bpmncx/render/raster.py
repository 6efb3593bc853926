"""PNG and PDF from a finished SVG document.

Chosen by measurement over the MIWG corpus (bench/rasterisers.py prints it):

* PNG: resvg (the ``resvg-py`` wheel), in-process: the fastest of resvg,
  rsvg-convert, CairoSVG and Graphviz+cairo, and no process per picture.
  Text is set in the fonts the SVG names (Liberation Sans, metric-compatible
  with Arial; DejaVu Sans when it is missing), found through the system's
  fonts. 1 point = ``scale`` pixels, as ``--scale`` always meant.
* PDF: ``rsvg-convert`` (Debian librsvg2-bin), vector, 1 point = 1 point: faster
  than CairoSVG and resvg has no PDF output. It runs with the same time and
  memory limits as Graphviz (BPMNCX_GRAPHVIZ_SECONDS, BPMNCX_GRAPHVIZ_MEMORY_MB).

The caller refuses a PNG too large to draw before any work (draw.refuse_too_large).
"""

from __future__ import annotations

import shutil
from typing import Optional

import os
import re

from ..errors import RenderError
from .process import run_bounded

FALLBACK_FONT = "DejaVu Sans"  # when an SVG's font list finds nothing installed


_ROOT_SIZE = re.compile(rb'(<svg\b[^>]*?)\swidth="[^"]*"\s+height="[^"]*"([^>]*?'
                        rb'viewBox="[\d.]+ [\d.]+ ([\d.]+) ([\d.]+)")')


def exact_size(svg: bytes) -> bytes:
    """``svg`` sized exactly as its viewBox: the diagram's SVG rounds its width and
    height to whole points (as Graphviz did), which would make a rasteriser stretch
    the drawing by that fraction and set its lines off the pixel grid."""
    return _ROOT_SIZE.sub(rb'\1 width="\3pt" height="\4pt"\2', svg, count=1)


def png(svg: bytes, scale: float, source: str) -> bytes:
    """The PNG of ``svg`` (sized in points) at ``scale`` pixels per point."""
    try:
        import resvg_py
    except ImportError:
        raise RenderError("cannot draw PNG: the Python package resvg-py is not installed "
                          "(pip install resvg-py; or render to .svg)") from None
    try:
        return resvg_py.svg_to_bytes(svg_string=exact_size(svg).decode("utf-8"), dpi=72.0,
                                     zoom=float(scale), sans_serif_family=FALLBACK_FONT)
    except (ValueError, MemoryError) as error:
        raise RenderError(f"{source}: cannot draw the PNG: {error}") from None


def rsvg_convert() -> str:
    found = shutil.which("rsvg-convert")
    if not found:
        raise RenderError("cannot draw PDF: 'rsvg-convert' is not installed; install the "
                          "Debian package librsvg2-bin (or render to .svg)")
    return found


def pdf(svg: bytes, source: str, diagrams: int = 1) -> bytes:
    """The PDF of ``svg``: one page of the SVG's size, vector."""
    # cairo stamps the PDF with the time it was written unless SOURCE_DATE_EPOCH is set:
    # the same input must give the same bytes
    env = dict(os.environ, SOURCE_DATE_EPOCH="0")
    done = run_bounded([rsvg_convert(), "--format", "pdf"], svg, source, diagrams,
                       program="rsvg-convert", env=env)
    if done.returncode != 0 or not done.stdout:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = message[-1] if message else f"exit code {done.returncode}"
        raise RenderError(f"{source}: rsvg-convert failed: {detail}")
    return done.stdout


def picture(svg: bytes, fmt: str, scale: float, source: str) -> Optional[bytes]:
    """``svg`` as ``fmt`` (png or pdf)."""
    if fmt == "png":
        return png(svg, scale, source)
    if fmt == "pdf":
        return pdf(svg, source)
    raise RenderError(f"unknown output format '{fmt}' (use png or pdf)")
