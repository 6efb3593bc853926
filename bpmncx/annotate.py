"""The main job: models + filled workbook -> annotated diagrams (one per persona).

:func:`annotate` reads the BPMN files and the workbook, runs the gap analysis
per persona and writes ``OUTDIR/<model>.<persona>.<format>`` for every model,
persona and format, each file atomically. Formats are looked up in
:data:`FORMATS`, a registry of writers: a writer receives every output of its
format at once (so the diagrams share one Graphviz process); other formats
(annotated BPMN, HTML, Excel) register with one line, e.g.
``FORMATS["html"] = write_html``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence

from .analysis import Analysis, analyse
from .analysis.files import WorkbookProblemsError
from .annotations import Annotations
from .bpmn import load_model
from .errors import BpmncxError, OutputError
from .files import refuse_inputs
from .model import Model
from .render import DEFAULT_SCALE
from .render.draw import Job, render_jobs
from .render.overlay import annotated_scene, persona_slug
from .bpmn.write import write_outputs as write_bpmn
from .report.html import write_html
from .report.xlsx import write_xlsx

ALL_PERSONAS = "all"


@dataclass(frozen=True)
class Output:
    """One file to write: ``model`` annotated for ``persona`` (None: lowest emotion)."""

    model: Model
    annotations: Annotations
    analysis: Analysis
    persona: Optional[str]
    path: str
    fmt: str
    diagram: Optional[str] = None
    scale: float = DEFAULT_SCALE


Writer = Callable[[Sequence[Output]], None]


def draw_diagrams(outputs: Sequence[Output]) -> None:
    """SVG, PNG and PDF: all outputs in one batch (one Graphviz process per format)."""
    jobs = [Job(annotated_scene(o.model, o.annotations, o.analysis, o.persona, o.diagram),
                o.path, o.fmt, o.scale) for o in outputs]
    render_jobs(jobs)


# format -> writer; add a format with one line.
FORMATS: Dict[str, Writer] = {
    "svg": draw_diagrams,
    "png": draw_diagrams,
    "pdf": draw_diagrams,
    "bpmn": write_bpmn,  # annotated BPMN (bpmncx.bpmn.write)
    "html": write_html,  # self-contained HTML report (bpmncx.report.html)
    "xlsx": write_xlsx,  # Excel report with the emotion chart (bpmncx.report.xlsx)
}


@dataclass
class Result:
    paths: List[str] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)


# The default view (lowest emotion across personas) takes the plain names batch uses too:
# <model>.svg, <model>.cx.bpmn, <model>.html, <model>-report.xlsx; a persona's view adds
# ".<persona>" after the model name.
_SUFFIX = {"bpmn": ".cx.bpmn", "xlsx": "-report.xlsx"}


def output_name(model: Model, persona: Optional[str], fmt: str) -> str:
    stem = f"{model.name}.{persona_slug(persona)}" if persona else model.name
    return stem + _SUFFIX.get(fmt, "." + fmt)


def annotate(model_paths: Sequence[str], workbook_path: str, outdir: str,
             formats: Sequence[str] = ("svg",), persona: Optional[str] = None,
             scale: float = DEFAULT_SCALE, diagram: Optional[str] = None) -> Result:
    """Write the annotated diagrams of ``model_paths`` for the workbook at ``workbook_path``.

    ``persona``: None for the lowest emotion across personas, a persona name,
    or ``"all"`` for one output per persona. Raises a BpmncxError subclass for
    an unreadable model or workbook, or a workbook with errors.
    """
    from .workbook import read_annotations  # the workbook package is heavier; load on use

    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise BpmncxError(f"unknown format '{unknown[0]}' (use {', '.join(sorted(FORMATS))})")
    models = [load_model(path) for path in model_paths]
    names: Dict[str, str] = {}
    for model in models:
        if model.name in names:
            raise BpmncxError(f"{model.path}: same file name as {names[model.name]}; "
                              "outputs would overwrite each other")
        names[model.name] = model.path
    annotations = read_annotations(workbook_path, models)
    if annotations.errors:
        raise WorkbookProblemsError(str(workbook_path), annotations.errors)
    result = Result(warnings=[str(p) for p in annotations.warnings])
    if persona is not None and persona.strip().casefold() == ALL_PERSONAS:
        from .report.journey import persona_names

        personas: List[Optional[str]] = list(persona_names(annotations))
    else:
        personas = [annotations.resolve_persona(persona)]
    try:
        os.makedirs(outdir, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{outdir}: cannot create the output folder: "
                          f"{error.strerror or error}") from None
    outputs: List[Output] = []
    for who in personas:
        # "all" on a workbook without personas: the reports' default persona, whose
        # analysis is the whole journey's
        analysis = analyse(models, annotations,
                           persona=who if annotations.known_personas() else None)
        for model in models:
            for fmt in formats:
                path = os.path.join(outdir, output_name(model, who, fmt))
                outputs.append(Output(model, annotations, analysis, who, path, fmt,
                                      diagram, scale))
    refuse_inputs([o.path for o in outputs], [*model_paths, workbook_path])
    batches: Dict[int, List[Output]] = {}
    writers: Dict[int, Writer] = {}
    for output in outputs:
        writer = FORMATS[output.fmt]
        writers[id(writer)] = writer
        batches.setdefault(id(writer), []).append(output)
    for key, batch in batches.items():
        writers[key](batch)
    for model in models:
        if not model.has_di:
            result.warnings.append(f"{model.path}: the file has no diagram layout; "
                                   "a layout was generated with Graphviz dot")
    result.paths = [o.path for o in outputs]
    return result
