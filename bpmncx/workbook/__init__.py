"""The Excel workbook business owners fill in: write it, read it back, update it."""

from .read import read_annotations
from .template import write_template
from .update import update_workbook

__all__ = ["read_annotations", "update_workbook", "write_template"]
