"""How much work one input may cause: sizes, cells, pixels, Graphviz time and memory.

Every input is untrusted, so each of these bounds what a file can make bpmncx
do; the README's "Limits and safety" lists them. Each can be changed with the
environment variable of the same name (a whole number), read when it is used,
so a test or a large repository can set it for one run.
"""

from __future__ import annotations

import os

from .errors import BpmncxError

MB = 1024 * 1024

# name -> (default, unit shown in messages)
DEFAULTS = {
    "BPMNCX_MAX_BPMN_BYTES": 200 * MB,  # a BPMN file (the largest real exports are ~20 MB)
    # XML elements in a BPMN file: lxml takes ~600 bytes each (the largest corpus file
    # has 2,431)
    "BPMNCX_MAX_XML_ELEMENTS": 500_000,
    # flow nodes in one model: the analysis's reachability takes memory growing with
    # the square of it (50,000: about 300 MB)
    "BPMNCX_MAX_FLOW_NODES": 50_000,
    "BPMNCX_MAX_XLSX_BYTES": 100 * MB,  # a workbook file as stored
    "BPMNCX_MAX_SURVEY_BYTES": 100 * MB,  # a survey CSV (read whole; event logs are streamed)
    "BPMNCX_MAX_XLSX_UNPACKED_BYTES": 300 * MB,  # its parts unpacked (zip bombs)
    # cells written in its sheets: openpyxl holds each in memory (twice: values and
    # formulas), about 1 KB all told; a real workbook has one row per element (~50,000)
    "BPMNCX_MAX_XLSX_CELLS": 250_000,
    "BPMNCX_MAX_PNG_PIXELS": 100_000_000,  # width x height of one PNG (4 bytes each in memory)
    "BPMNCX_GRAPHVIZ_SECONDS": 60,  # per diagram a Graphviz process draws
    "BPMNCX_MAX_LAYOUT_ELEMENTS": 5000,  # elements Graphviz dot lays out (a model without DI)
    "BPMNCX_GRAPHVIZ_MEMORY_MB": 1024,  # address space of one Graphviz process
}


def limit(name: str) -> int:
    """The limit ``name``: its environment variable when set, else the default."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return DEFAULTS[name]
    try:
        value = int(raw.strip().replace("_", ""))
    except ValueError:
        value = 0
    if value <= 0:
        raise BpmncxError(f"{name}={raw!r}: the limit must be a whole number above 0")
    return value


def size_text(count: int) -> str:
    """A byte count for messages: whole MB when it is one, else bytes."""
    if count >= MB and count % MB == 0:
        return f"{count // MB} MB"
    return f"{count} bytes"
