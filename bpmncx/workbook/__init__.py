"""The Excel workbook business owners fill in: write it, read it back, update it."""

from .read import read_annotations
from .template import write_template

__all__ = ["read_annotations", "write_template"]
