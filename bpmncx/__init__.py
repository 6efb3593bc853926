"""bpmncx: close the customer-experience gap between BPMN processes and customer journeys."""

from .analysis import Analysis, Finding, analyse
from .annotations import Annotations, UnknownPersonaError
from .batch import run_batch
from .bpmn import load_model
from .bpmn.extension import annotations_from_bpmn
from .bpmn.strip import strip_bpmn
from .bpmn.write import annotate_bpmn
from .errors import BpmncxError, BpmnReadError, OutputError, RenderError, WorkbookError
from .model import Model
from .render.overlay import render_annotated
from .report.html import report_html
from .report.xlsx import report_xlsx
from .workbook import read_annotations, update_workbook, write_template

__version__ = "0.1.0"

__all__ = [
    "analyse",
    "render_annotated",
    "report_html",
    "report_xlsx",
    "run_batch",
    "Analysis",
    "Finding",
    "load_model",
    "annotate_bpmn",
    "annotations_from_bpmn",
    "strip_bpmn",
    "Model",
    "read_annotations",
    "update_workbook",
    "write_template",
    "BpmncxError",
    "BpmnReadError",
    "WorkbookError",
    "RenderError",
    "OutputError",
    "UnknownPersonaError",
    "Annotations",
    "__version__",
]
