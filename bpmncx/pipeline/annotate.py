"""``bpmncx annotate``: models + filled workbook -> annotated diagrams and reports.

Read top to bottom: load the models and the workbook once, analyse once per
persona, build one view (scene) per model and persona, draw all SVGs with one
Graphviz process and the PNG/PDF files with one more, then write the annotated
BPMN files and the reports. Every file is written atomically.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Union

from ..analysis import analyse
from ..annotations import Annotations
from ..errors import BpmncxError, OutputError
from ..files import refuse_inputs, write_atomic
from ..model import Model
from ..render import DEFAULT_SCALE, other_diagrams_note
from ..render.draw import Job, render_jobs, svg_many
from .inputs import LogRequest, load_inputs
from .measure import log_warnings, with_log
from .outputs import COMPARE, DIAGRAM_FORMATS, is_compare, output_name, parse_formats
from .views import View, document, view_of

ALL_PERSONAS = "all"


@dataclass
class Result:
    paths: List[str] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)  # e.g. the diagrams not drawn
    # with several personas, one line per persona whose outputs could not be written
    # (the others are written all the same); the command then exits 1
    failures: List[str] = field(default_factory=list)


def personas_asked(annotations: Annotations, persona: Optional[str]) -> List[Optional[str]]:
    """The personas to make outputs for: None (lowest emotion), one, every one ("all"),
    or :data:`~bpmncx.pipeline.outputs.COMPARE` ("compare": one view of all of them)."""
    if is_compare(persona):
        return [COMPARE]
    if persona is not None and persona.strip().casefold() == ALL_PERSONAS:
        from ..analysis import persona_names

        return list(persona_names(annotations))
    return [annotations.resolve_persona(persona)]


def distinct_names(models: Sequence[Model]) -> None:
    """Outputs are named after the model's file: two files of one name would collide."""
    seen: Dict[str, str] = {}
    for model in models:
        if model.name in seen:
            raise BpmncxError(f"{model.path}: same file name as {seen[model.name]}; "
                              "outputs would overwrite each other")
        seen[model.name] = model.path


def annotate(model_paths: Sequence[str], workbook_path: str, outdir: str,
             formats: Union[str, Sequence[str]] = ("svg",), persona: Optional[str] = None,
             scale: float = DEFAULT_SCALE, diagram: Optional[str] = None,
             log: Optional[LogRequest] = None) -> Result:
    """Write the annotated outputs of ``model_paths`` for the workbook at ``workbook_path``.

    ``persona``: None for the lowest emotion across personas, a persona name,
    ``"all"`` for one set of outputs per persona, or ``"compare"`` for one set showing
    every persona side by side (``MODEL.compare.svg`` ...). Raises a BpmncxError
    subclass for an unreadable model or workbook, or a workbook with errors. With several
    personas, one persona's outputs that cannot be written are a line in
    ``Result.failures`` (its paths left out of ``Result.paths``); the others are written.
    With ``log`` (an event log) the two clocks, waits, reach and an element heat go on the
    picture and the measures into the reports.
    """
    formats = parse_formats(formats)
    inputs = load_inputs(model_paths, workbook_path, log)
    try:
        return _annotate(inputs, model_paths, workbook_path, outdir, formats, persona, scale,
                         diagram, log)
    finally:
        inputs.close()


def _annotate(inputs, model_paths, workbook_path, outdir, formats, persona, scale, diagram,
              log) -> Result:
    models, annotations = inputs.models, inputs.annotations
    distinct_names(models)
    result = Result(warnings=[str(p) for p in inputs.warnings] + log_warnings(inputs))
    named = personas_asked(annotations, persona)  # file names keep the persona asked for
    # "all" on a workbook without personas: the reports' default persona, whose
    # analysis is the whole journey's
    compare = is_compare(persona)  # the whole journey (no persona), every curve drawn
    analysed = named if annotations.known_personas() and not compare else [None] * len(named)
    analyses = [with_log(analyse(models, annotations, persona=who), inputs) for who in analysed]
    planned = [(view_of(model, analysis, diagram, compare=compare), who)
               for analysis, who in zip(analyses, named) for model in models]
    # (view, format, diagram) -> path; diagram None: the main one, else its slug
    paths = {}
    for index, (view, who) in enumerate(planned):
        for fmt in formats:
            main = view.main_slug if fmt in DIAGRAM_FORMATS else None
            paths[(index, fmt, None)] = os.path.join(outdir, output_name(view.model.name, who,
                                                                         fmt, main))
            if fmt in DIAGRAM_FORMATS:
                for drawing in view.more:
                    paths[(index, fmt, drawing.slug)] = os.path.join(
                        outdir, output_name(view.model.name, who, fmt, drawing.slug))
    refuse_inputs(list(paths.values()), [*model_paths, workbook_path]
                  + (log.files() if log is not None else []))
    try:
        os.makedirs(outdir, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{outdir}: cannot create the output folder: "
                          f"{error.strerror or error}") from None
    views = [view for view, _who in planned]
    failed = set()  # indexes into planned
    if len(named) == 1:
        write_views(views, formats, lambda index, fmt, slug=None: paths[(index, fmt, slug)], scale)
    else:
        # One persona's outputs at a time: a failure (a path that cannot be written, a
        # drawing Graphviz refuses) stops that persona only, never the others.
        for who in named:
            group = [index for index, (_view, whose) in enumerate(planned) if whose is who]
            try:
                write_views([views[i] for i in group], formats,
                            lambda j, fmt, slug=None, group=group: paths[(group[j], fmt, slug)],
                            scale)
            except BpmncxError as error:
                failed.update(group)
                result.failures.append(f"persona {_persona_label(who)}: {error}")
    for model in models:
        if not model.has_di:
            result.warnings.append(f"{model.path}: the file has no diagram layout; "
                                   "a layout was generated with Graphviz dot")
        elif diagram is None:
            note = other_diagrams_note(model)
            if note:
                result.notes.append(note)
    result.paths = [path for (index, _fmt, _slug), path in paths.items() if index not in failed]
    return result


def _persona_label(who) -> str:
    return "compare" if who == COMPARE else "\u201c" + " ".join(str(who).split()) + "\u201d"


def write_views(views: Sequence[View], formats: Sequence[str], path_of, scale: float) -> None:
    """Every format of every view and each of its diagrams: SVG (also for the HTML
    report) from one Graphviz process, PNG/PDF from one more, then the annotated BPMN
    files and reports. ``path_of(view index, format, diagram slug or None)``."""
    drawn = [(index, None, view.scene) for index, view in enumerate(views)]
    drawn += [(index, d.slug, d.scene) for index, view in enumerate(views) for d in view.more]
    svgs: Dict[tuple, Optional[bytes]] = {}
    if "svg" in formats or "html" in formats:
        svgs = {(index, slug): data for (index, slug, _), data in
                zip(drawn, svg_many([scene for _, _, scene in drawn]))}
    render_jobs([Job(scene, path_of(index, f, slug), f, scale) for index, slug, scene in drawn
                 for f in formats if f in DIAGRAM_FORMATS and f != "svg"])
    if "svg" in formats:
        for index, slug, _scene in drawn:
            write_atomic(path_of(index, "svg", slug), svgs[(index, slug)])
    for index, view in enumerate(views):
        for fmt in formats:
            if fmt not in DIAGRAM_FORMATS:
                more = [svgs.get((index, d.slug)) for d in view.more]
                data = document(view, fmt, svgs.get((index, None)), more)
                if data is not None:
                    write_atomic(path_of(index, fmt), data)
