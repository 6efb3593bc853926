"""bpmncx: close the customer-experience gap between BPMN processes and customer journeys.

The public names are resolved on first use (module ``__getattr__``), so that
``import bpmncx`` and a command that needs only the BPMN reader do not load
openpyxl, the renderer or the reports.
"""

from importlib import import_module

from .version import __version__

# public name -> module that defines it
_PUBLIC = {
    "analyse": "bpmncx.analysis",
    "Analysis": "bpmncx.analysis",
    "Finding": "bpmncx.analysis",
    "Annotations": "bpmncx.annotations",
    "UnknownPersonaError": "bpmncx.annotations",
    "load_model": "bpmncx.bpmn",
    "annotations_from_bpmn": "bpmncx.bpmn.extension",
    "strip_bpmn": "bpmncx.bpmn.strip",
    "annotate_bpmn": "bpmncx.bpmn.write",
    "BpmncxError": "bpmncx.errors",
    "BpmnReadError": "bpmncx.errors",
    "WorkbookError": "bpmncx.errors",
    "RenderError": "bpmncx.errors",
    "OutputError": "bpmncx.errors",
    "Model": "bpmncx.model",
    "annotate": "bpmncx.pipeline.annotate",
    "gaps": "bpmncx.pipeline.gaps",
    "load_inputs": "bpmncx.pipeline.inputs",
    "WorkbookProblemsError": "bpmncx.pipeline.inputs",
    "run_batch": "bpmncx.pipeline.batch",
    "render_annotated": "bpmncx.render.overlay",
    "report_html": "bpmncx.report.html",
    "report_xlsx": "bpmncx.report.xlsx",
    "read_annotations": "bpmncx.workbook",
    "update_workbook": "bpmncx.workbook",
    "write_template": "bpmncx.workbook",
}

__all__ = sorted(_PUBLIC) + ["__version__"]


def __getattr__(name):
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'bpmncx' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # once found, an ordinary attribute
    return value


def __dir__():
    return __all__
