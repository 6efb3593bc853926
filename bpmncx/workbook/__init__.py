"""The Excel workbook business owners fill in: write it, read it back, update it.

columns.py   sheet and column names, header spellings the reader accepts
suggest.py   why an element looks customer-facing (the Suggestion column)
rows.py      which elements get a Touchpoints row, in which order
values.py    forgiving parsing of Yes/No, emotions, channels, stages
template.py  lay the workbook out (write_template)
sheets.py    find sheets, header rows, lists and the model table
references.py  'Supported by' -> element references
read.py      read_annotations: the workbook -> Annotations, with every problem
update.py    update_workbook: carry the owners' work over to changed models
fill.py      Annotations (an annotated BPMN file) -> cells of a fresh workbook, for --update
files.py     open (recognising .xls, CSV, encrypted, damaged files) and save
             (deterministic bytes, backup, atomic rename)
"""

from .read import read_annotations
from .template import write_template
from .update import update_workbook

__all__ = ["read_annotations", "update_workbook", "write_template"]
