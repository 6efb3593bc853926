"""bpmncx: close the customer-experience gap between BPMN processes and customer journeys."""

from .analysis import Analysis, Finding, analyse
from .bpmn import load_model
from .errors import BpmncxError, BpmnReadError, RenderError, WorkbookError
from .model import Model
from .workbook import read_annotations, update_workbook, write_template

__version__ = "0.1.0"

__all__ = [
    "analyse",
    "Analysis",
    "Finding",
    "load_model",
    "Model",
    "read_annotations",
    "update_workbook",
    "write_template",
    "BpmncxError",
    "BpmnReadError",
    "WorkbookError",
    "RenderError",
    "__version__",
]
