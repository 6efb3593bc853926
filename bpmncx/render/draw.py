"""Run Graphviz on a batch of scenes: one ``neato -n2`` process per output format.

Starting Graphviz costs more than drawing a diagram, so every scene of a batch
goes through the same process: for SVG all graphs are piped into one
``neato -Tsvg`` and its output split; PNG and PDF are written by one
``neato -O`` over all the batch's DOT files. Outputs are written atomically.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

from ..errors import RenderError
from ..files import write_atomic
from ..limits import limit
from .graph import IMAGE_DIR_TOKEN, Scene
from .svgpost import _Pictures, finish_svg

FORMATS = ("svg", "png", "pdf")
_SVG_START = b"<?xml"


@dataclass(frozen=True)
class Job:
    """Draw ``scene`` to ``path`` in ``fmt`` (svg, png, pdf) at ``scale``."""

    scene: Scene
    path: str
    fmt: str
    scale: float = 2.0


def neato() -> str:
    found = shutil.which("neato")
    if not found:
        raise RenderError("Graphviz is not installed (no 'neato' on PATH); "
                          "install the Debian package graphviz")
    return found


def _run(args: List[str], stdin: Optional[bytes], scenes: Sequence[Scene],
         raster: bool = False) -> bytes:
    names = ", ".join(s.source for s in scenes[:3]) + (" ..." if len(scenes) > 3 else "")
    done = run_bounded(args, stdin, names, len(scenes))
    if raster and b"No loadimage plugin" in done.stderr:
        # Without the rsvg plugin cairo silently leaves out every icon and marker.
        raise RenderError("Graphviz cannot draw SVG pictures into PNG/PDF here: install the "
                          "Debian package libgvc6-plugins-gtk (or render to .svg)")
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = message[-1] if message else f"exit code {done.returncode}"
        raise RenderError(f"{names}: Graphviz failed: {detail}")
    return done.stdout


def run_bounded(args: List[str], stdin: Optional[bytes], names: str,
                diagrams: int = 1) -> subprocess.CompletedProcess:
    """Run Graphviz with a time and a memory limit; RenderError naming ``names`` past either.

    A diagram's coordinates come from the file, and Graphviz's time and memory
    grow with them: the limits (BPMNCX_GRAPHVIZ_SECONDS per diagram drawn,
    BPMNCX_GRAPHVIZ_MEMORY_MB of address space) keep one hostile file from
    hanging or exhausting the machine.
    """
    seconds = limit("BPMNCX_GRAPHVIZ_SECONDS") * max(1, diagrams)
    megabytes = limit("BPMNCX_GRAPHVIZ_MEMORY_MB")
    # The shell sets the limit and becomes Graphviz (exec): unlike a preexec_fn, no
    # Python runs in the child and the parent's memory is never copied (vfork).
    bounded = ["/bin/sh", "-c", 'ulimit -v "$0" && exec "$@"', str(megabytes * 1024), *args]
    try:
        done = subprocess.run(bounded, input=stdin, capture_output=True, check=False,
                              timeout=seconds)
    except subprocess.TimeoutExpired:
        raise RenderError(f"{names}: Graphviz took longer than {seconds} s and was stopped "
                          "(limit BPMNCX_GRAPHVIZ_SECONDS per diagram); the diagram is too "
                          "large or complex to draw") from None
    except OSError as error:
        raise RenderError(f"cannot run Graphviz ({args[0]}): {error}") from None
    stderr = done.stderr.decode("utf-8", "replace").lower()
    if done.returncode < 0 or (done.returncode != 0 and (
            "out of memory" in stderr or "cannot allocate" in stderr
            or "memory allocation" in stderr or "malloc" in stderr)):
        raise RenderError(f"{names}: Graphviz ran out of memory (limit {megabytes} MB, "
                          "BPMNCX_GRAPHVIZ_MEMORY_MB) or crashed; the diagram is too large "
                          "to draw")
    return done


def svg_many(scenes: Sequence[Scene], scale: float = 1.0) -> List[bytes]:
    """The final SVG of each scene, from one Graphviz process."""
    if not scenes:
        return []
    stdin = "".join(s.svg_dot for s in scenes).encode("utf-8")
    out = _run([neato(), "-n2", "-Tsvg"], stdin, scenes)
    images: Dict[str, bytes] = {}
    for scene in scenes:
        images.update(scene.images)
    parts = [_SVG_START + chunk for chunk in out.split(_SVG_START)[1:]]
    if len(parts) != len(scenes):
        raise RenderError(f"Graphviz drew {len(parts)} of {len(scenes)} diagrams "
                          f"({scenes[0].source} ...)")
    pictures = _Pictures(images)
    return [finish_svg(raw, scene, pictures, scale) for raw, scene in zip(parts, scenes)]


def render_jobs(jobs: Sequence[Job]) -> None:
    """Draw every job; one Graphviz process per format (and PNG scale)."""
    svg_jobs = [j for j in jobs if j.fmt == "svg"]
    for fmt in {j.fmt for j in jobs} - set(FORMATS):
        raise RenderError(f"unknown output format '{fmt}' (use one of {', '.join(FORMATS)})")
    if svg_jobs:
        by_scale: Dict[float, List[Job]] = {}
        for job in svg_jobs:
            by_scale.setdefault(job.scale if job.scale else 1.0, []).append(job)
        for scale, group in sorted(by_scale.items()):
            for job, data in zip(group, svg_many([j.scene for j in group], 1.0)):
                write_atomic(job.path, data)
    raster = [j for j in jobs if j.fmt in ("png", "pdf")]
    if not raster:
        return
    groups: Dict[tuple, List[Job]] = {}
    for job in raster:
        key = (job.fmt, job.scale if job.fmt == "png" else 1.0)
        groups.setdefault(key, []).append(job)
    for job in raster:
        refuse_too_large(job)
    with tempfile.TemporaryDirectory(prefix="bpmncx-render-") as tmp:
        _write_images([j.scene for j in raster], tmp)
        for (fmt, scale), group in sorted(groups.items()):
            files = []
            for index, job in enumerate(group):
                name = os.path.join(tmp, f"{fmt}{index}.gv")
                with open(name, "w", encoding="utf-8") as handle:
                    handle.write(job.scene.dot.replace(IMAGE_DIR_TOKEN, tmp))
                files.append(name)
            args = [neato(), "-n2", f"-T{fmt}", "-O"]
            if fmt == "png":
                args.append(f"-Gdpi={72 * scale:g}")
            _run(args + files, None, [j.scene for j in group], raster=True)
            for job, name in zip(group, files):
                produced = f"{name}.{fmt}"
                if not os.path.exists(produced):
                    raise RenderError(f"{job.scene.source}: Graphviz wrote no {fmt}")
                with open(produced, "rb") as handle:
                    data = handle.read()
                if not data:
                    # cairo draws nothing (and Graphviz still exits 0) past 32767 pixels a
                    # side; refuse_too_large should have caught it before
                    raise RenderError(
                        f"{job.scene.source}: Graphviz wrote an empty {fmt} "
                        f"({job.scene.width * scale:.0f} x {job.scene.height * scale:.0f} pixels "
                        f"is too large; use a smaller --scale)")
                write_atomic(job.path, reproducible(data, fmt))


_PDF_DATE = re.compile(rb"/CreationDate \(D:(\d{14})")


def reproducible(data: bytes, fmt: str) -> bytes:
    """The same drawing gives the same bytes: cairo stamps a PDF with the second it was
    written (and cairo 1.16 ignores SOURCE_DATE_EPOCH). The date is replaced by one of
    the same length, so the PDF's byte offsets stay valid."""
    if fmt != "pdf":
        return data
    return _PDF_DATE.sub(b"/CreationDate (D:20000101000000", data, count=1)


CAIRO_MAX_SIDE = 32767  # cairo draws nothing past this many pixels a side


def refuse_too_large(job: Job) -> None:
    """RenderError before any work when a PNG cannot or should not be drawn.

    cairo gives up past 32767 pixels a side; below that a PNG still takes 4 bytes
    a pixel in memory, so its area is bounded too (BPMNCX_MAX_PNG_PIXELS). Far-apart
    coordinates in a file (shapes at +-1e7) would otherwise make Graphviz run
    for minutes and take gigabytes before failing. (PDF is vector: drawn fast
    at any size.)
    """
    if job.fmt != "png":
        return
    scene = job.scene
    width, height = scene.width * job.scale, scene.height * job.scale
    size = f"{width:.0f} x {height:.0f} pixels"
    if max(scene.width, scene.height) > CAIRO_MAX_SIDE:
        fix = "the diagram's coordinates are too far apart; draw it as SVG or PDF"
    else:
        fix = "use a smaller --scale, or SVG or PDF"
    if max(width, height) > CAIRO_MAX_SIDE:
        raise RenderError(f"{scene.source}: {size} is too large for a PNG (at most "
                          f"{CAIRO_MAX_SIDE} a side); {fix}")
    most = limit("BPMNCX_MAX_PNG_PIXELS")
    if width * height > most:
        raise RenderError(f"{scene.source}: {size} is more than the {most:,} pixels a PNG "
                          f"may have (BPMNCX_MAX_PNG_PIXELS); {fix}")


def _write_images(scenes: Sequence[Scene], directory: str) -> Dict[str, bytes]:
    images: Dict[str, bytes] = {}
    for scene in scenes:
        images.update(scene.images)
    for key, data in images.items():
        with open(os.path.join(directory, f"{key}.svg"), "wb") as handle:
            handle.write(data)
    return images


def rasterise_svg(svg: bytes, width: float, height: float, fmt: str, scale: float = 2.0,
                  source: str = "picture") -> bytes:
    """A finished SVG picture (``width`` x ``height`` points) as PNG or PDF bytes.

    The same path as the diagrams take: Graphviz draws the SVG as the image of one node
    filling the page, through cairo and librsvg (Debian libgvc6-plugins-gtk), so no
    other program is needed.
    """
    if fmt not in ("png", "pdf"):
        raise RenderError(f"unknown output format '{fmt}' (use png or pdf)")
    w, h = f"{width:.2f}", f"{height:.2f}"
    with tempfile.TemporaryDirectory(prefix="bpmncx-raster-") as tmp:
        picture = os.path.join(tmp, "picture.svg")
        with open(picture, "wb") as handle:
            handle.write(svg)
        dot = (f'digraph picture {{ graph [bb="0,0,{w},{h}", pad=0, margin=0];\n'
               f'node [shape=none, label="", fixedsize=true, imagescale=true];\n'
               f'p [pos="{width / 2:.2f},{height / 2:.2f}!", width={width / 72:.4f}, '
               f'height={height / 72:.4f}, image="{picture}"];\n}}\n')
        args = [neato(), "-n2", f"-T{fmt}"]
        if fmt == "png":
            args.append(f"-Gdpi={72 * scale:g}")
        data = _run(args, dot.encode("utf-8"), [_Named(source)], raster=True)
    if not data:
        raise RenderError(f"{source}: Graphviz wrote an empty {fmt} ({width * scale:.0f} x "
                          f"{height * scale:.0f} pixels is too large; use a smaller --scale)")
    return reproducible(data, fmt)


@dataclass(frozen=True)
class _Named:
    """What :func:`_run` names in its errors."""

    source: str
