"""``bpmncx blueprint``: read the models and the workbook, analyse, draw the service
blueprint, write it as SVG, PNG, PDF or a self-contained HTML page."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import List, Optional, Sequence

from ..analysis import Analysis, analyse
from ..annotations import Problem
from ..errors import BpmncxError
from ..files import write_atomic
from ..render.blueprint import blueprint_size, blueprint_svg
from .inputs import load_inputs

BLUEPRINT_FORMATS = ("svg", "png", "pdf", "html")


class BlueprintFormatError(BpmncxError):
    """The output file's extension names no format the blueprint is written in."""


@dataclass
class BlueprintResult:
    path: str
    analysis: Analysis
    warnings: List[Problem] = field(default_factory=list)


def output_format(path: str) -> str:
    """The format an output path asks for, by its extension."""
    fmt = os.path.splitext(path)[1].lower().lstrip(".")
    if fmt not in BLUEPRINT_FORMATS:
        raise BlueprintFormatError(f"{path}: write the blueprint to a .svg, .png, .pdf or .html "
                                   "file")
    return fmt


def blueprint(model_paths: Sequence[str], workbook_path: str, out: str,
              persona: Optional[str] = None, max_crossings: int = 2,
              scale: float = 2.0) -> BlueprintResult:
    """Draw the service blueprint of the journey in ``workbook_path`` over the models and
    write it to ``out`` (.svg, .png, .pdf or .html, atomically).

    Raises what :func:`~bpmncx.pipeline.inputs.load_inputs` raises, and
    :class:`BlueprintFormatError` for another extension (before reading anything).
    """
    fmt = output_format(out)
    inputs = load_inputs(model_paths, workbook_path)
    analysis = analyse(inputs.models, inputs.annotations, persona=persona,
                       max_crossings=max_crossings)
    names = ", ".join(m.name for m in inputs.models)
    title = f"Service blueprint: {names}"
    svg = blueprint_svg(inputs.models, analysis, title)
    if fmt == "svg":
        data = svg
    elif fmt == "html":
        from ..report.html import blueprint_page

        subtitle = f"workbook: {os.path.basename(workbook_path)}"
        if analysis.persona:
            subtitle += f" \u00b7 persona: {analysis.persona}"
        data = blueprint_page(svg, title, subtitle)
    else:
        from ..render.draw import rasterise_svg

        width, height = blueprint_size(svg)
        data = rasterise_svg(svg, width, height, fmt, scale, source=out)
    write_atomic(out, data)
    return BlueprintResult(out, analysis, list(inputs.warnings))
