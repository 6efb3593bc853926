"""Everything a batch makes for one model: diagrams, the HTML report, the Excel report.

Runs inside a batch worker: gets a :class:`bpmncx.batch.Job` (paths only),
fills a :class:`bpmncx.batch.ModelResult` (plain data) as it goes, so that
whatever was finished is known even when a later step fails.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from typing import Callable, List, Optional, Sequence, Tuple

from ..annotations import Annotations
from ..bpmn import load_model
from ..errors import BpmncxError
from ..model import Model


def _read_workbook(job, model: Model, result) -> Tuple[Optional[Annotations], Optional[object]]:
    """The workbook read back and analysed, or (None, None) when the model has none."""
    if not job.workbook:
        return None, None
    from ..analysis import analyse
    from ..workbook import read_annotations

    models = [model]
    for path in job.group:  # analysed together: one journey across these models
        if path != job.path:
            models.append(load_model(path))
    annotations = read_annotations(job.workbook, models)
    wb_name = os.path.basename(job.workbook)
    covers = any(tp.model == model.name for tp in annotations.touchpoints)
    if annotations.errors and not covers:
        # One workbook for many models (--workbook) need not cover this one.
        result.warnings.append(f"{wb_name} does not cover this model: plain diagram only")
        result.workbook = None
        return None, None
    result.warnings.extend(str(p) for p in annotations.warnings)
    if annotations.errors:
        count = len(annotations.errors)
        result.error = (f"{job.workbook}: {count} error{'s' if count != 1 else ''} in the workbook, "
                        f"first: {annotations.errors[0]}")
        return annotations, None
    return annotations, analyse(models, annotations, persona=job.persona)


def _record_analysis(result, analysis, model: Model, first: bool = True) -> None:
    """Keep the figures and this model's findings: those naming one of its elements,
    and - for the first model of a group only, so that totals count them once - the
    findings about the journey alone."""
    from .findings import finding_record

    m = analysis.metrics
    result.analysed = True
    result.steps = m.steps
    result.supported_steps = m.supported_steps
    result.coverage = m.coverage
    result.moments_of_truth = m.moments_of_truth
    result.moments_of_truth_at_risk = len(m.moments_of_truth_at_risk)
    result.handoffs = m.handoffs
    mine = [f for f in analysis.findings
            if any(ref.model == model.name for ref in f.elements) or (first and not f.elements)]
    result.findings = [finding_record(analysis, f) for f in mine]
    counts = {s: 0 for s, _n in m.findings_per_severity}
    for f in mine:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    result.findings_per_severity = counts


@dataclass
class Prepared:
    """One model read, analysed and laid out, waiting for Graphviz."""

    job: object
    result: object
    model: Model
    annotations: Optional[Annotations]
    analysis: object
    scene: object
    workbook_error: Optional[BpmncxError] = None


def prepare(job, result) -> Prepared:
    """Read the model and its workbook, analyse, build the Graphviz scene; raise if broken."""
    from ..render import scene_for

    model = load_model(job.path)
    result.name = model.name
    result.warnings.extend(model.warnings)
    annotations, analysis = None, None
    workbook_error: Optional[BpmncxError] = None
    try:
        annotations, analysis = _read_workbook(job, model, result)
    except BpmncxError as error:  # an unreadable workbook: still draw the plain diagram
        workbook_error = error
    if analysis is not None:
        _record_analysis(result, analysis, model, not job.group or job.group[0] == job.path)
        from ..render.overlay import annotated_scene

        persona = annotations.resolve_persona(job.persona)
        scene = annotated_scene(model, annotations, analysis, persona)
    else:
        scene = scene_for(model)
    result.warnings.extend(w for w in scene.warnings if w not in result.warnings)
    return Prepared(job, result, model, annotations, analysis, scene, workbook_error)


def raster_jobs(p: Prepared) -> List:
    """The PNG/PDF drawings a prepared model asks for (see render.draw.render_jobs)."""
    from ..batch import output_path
    from ..render.draw import Job as DrawJob

    return [DrawJob(p.scene, output_path(p.job, "." + f), f) for f in ("png", "pdf") if f in p.job.formats]


def finish(p: Prepared, svg: bytes) -> None:
    """Write the SVG, annotated BPMN, HTML and Excel outputs; raise a workbook error last.

    The PNG/PDF files (``raster_jobs``) are drawn by the caller, many at a time.
    """
    from ..batch import output_path
    from ..files import write_atomic

    job, result, model, annotations, analysis = p.job, p.result, p.model, p.annotations, p.analysis

    def rel(suffix: str) -> str:
        return job.rel + suffix

    for f in ("png", "pdf"):
        if f in job.formats:
            result.outputs[f] = rel("." + f)
    if "svg" in job.formats:
        write_atomic(output_path(job, ".svg"), svg)
        result.outputs["svg"] = rel(".svg")
    else:
        result.thumbnail = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    if "bpmn" in job.formats and annotations is not None and analysis is not None:
        from ..bpmn.write import annotate_bpmn

        with open(job.path, "rb") as handle:
            source = handle.read()
        data = annotate_bpmn(model, source, annotations, analysis, job.persona, job.path)
        write_atomic(output_path(job, ".cx.bpmn"), data)
        result.outputs["bpmn"] = rel(".cx.bpmn")
    if "html" in job.formats:
        from .html import report_html

        write_atomic(output_path(job, ".html"),
                     report_html(model, svg, annotations, analysis))
        result.outputs["html"] = rel(".html")
    if "xlsx" in job.formats and analysis is not None:
        from .xlsx import report_xlsx

        write_atomic(output_path(job, "-report.xlsx"), report_xlsx(model, annotations, analysis))
        result.outputs["xlsx"] = rel("-report.xlsx")
    if p.workbook_error is not None:
        raise p.workbook_error


def build_many(jobs: Sequence, results: Sequence, fail: Callable) -> None:
    """Make every output of ``jobs``, recording into ``results``; ``fail(result, error)``
    records a model's error. Graphviz runs once per format for all models together, and
    again one model at a time only if that fails, to find the broken one."""
    from ..render.draw import render_jobs, svg_many

    prepared: List[Prepared] = []
    for job, result in zip(jobs, results):
        try:
            prepared.append(prepare(job, result))
        except KeyboardInterrupt:
            raise
        except Exception as error:  # noqa: BLE001 - one broken model must not stop the others
            fail(result, error)
    try:
        svgs = svg_many([p.scene for p in prepared])
    except BpmncxError:
        svgs = []
        for p in prepared:
            try:
                svgs.append(svg_many([p.scene])[0])
            except BpmncxError as error:
                fail(p.result, error)
                svgs.append(None)
    drawn = [(p, svg) for p, svg in zip(prepared, svgs) if svg is not None]
    try:
        render_jobs([j for p, _svg in drawn for j in raster_jobs(p)])
    except BpmncxError:
        kept = []
        for p, svg in drawn:
            try:
                render_jobs(raster_jobs(p))
                kept.append((p, svg))
            except BpmncxError as error:
                fail(p.result, error)
        drawn = kept
    for p, svg in drawn:
        try:
            finish(p, svg)
        except KeyboardInterrupt:
            raise
        except Exception as error:  # noqa: BLE001
            fail(p.result, error)
