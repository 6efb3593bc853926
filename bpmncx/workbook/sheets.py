"""Finding things in a workbook the owners may have rearranged: sheets, header rows, lists,
the table of models on the Instructions sheet. Shared by the reader and ``--update``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from ..vocabulary import DEFAULT_CHANNELS, DEFAULT_STAGES
from . import columns as C
from .values import is_blank, text

HEADER_SCAN_ROWS = 10


def find_sheet(wb, name: str):
    """The sheet called ``name`` (case and surrounding spaces ignored), or None."""
    for title in wb.sheetnames:
        if title.strip().casefold() == name.casefold():
            return wb[title]
    return None


@dataclass
class Header:
    row: int  # 0 when the sheet has no header row
    columns: Dict[str, int] = field(default_factory=dict)  # key -> column (1-based)
    emotions: List[Tuple[int, str]] = field(default_factory=list)  # (column, persona as typed)
    status: Optional[int] = None
    # near misses taken for a known column: (column, header as typed, key)
    guessed: List[Tuple[int, str, str]] = field(default_factory=list)
    # headers bpmncx does not read (the owners' own columns, or a second copy of a
    # known one): (column, header as typed)
    unknown: List[Tuple[int, str]] = field(default_factory=list)


def find_header(ws, known: Sequence[C.Column], required: str, emotions=False) -> Header:
    """The header row among the first rows: the first with ``required``, else the fullest."""
    lookup = C.header_lookup(known)
    best = Header(row=0)
    for row_number, row in enumerate(
        ws.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS, values_only=True), start=1
    ):
        header = Header(row=row_number)
        for column, value in enumerate(row, start=1):
            key, exact = C.column_key(value, lookup)
            if key and exact and key not in header.columns:
                header.columns[key] = column
            elif emotions and C.emotion_persona(value):
                header.emotions.append((column, C.emotion_persona(value)))
            elif C.normalise_header(value) == "status":
                header.status = column
            elif not is_blank(value):
                header.unknown.append((column, text(value)))
        for column, typed in list(header.unknown):  # near misses, once the exact ones are known
            key, _exact = C.column_key(typed, lookup, taken=header.columns)
            if key and key not in header.columns:
                header.columns[key] = column
                header.guessed.append((column, typed, key))
                header.unknown.remove((column, typed))
        if required in header.columns:
            return header
        if len(header.columns) > len(best.columns):
            best = header
    return best if best.columns else Header(row=0)


def read_lists(wb) -> Tuple[Tuple[str, ...], Tuple[str, ...]]:
    """(channels, stages) from the Lists sheet; the defaults where it has none."""
    channels, stages = DEFAULT_CHANNELS, DEFAULT_STAGES
    ws = find_sheet(wb, C.LISTS)
    if ws is None:
        return channels, stages
    rows = list(ws.iter_rows(values_only=True))
    for column, header in enumerate(rows[0] if rows else ()):
        values = tuple(text(r[column]) for r in rows[1:]
                       if column < len(r) and not is_blank(r[column]))
        if C.normalise_header(header) == "channels" and values:
            channels = values
        elif C.normalise_header(header) == "stages" and values:
            stages = values
    return channels, stages


def recorded_models(wb):
    """(Instructions sheet, [(name, file, sha256, row)]) from the model table; the list is None
    when the sheet or the table is missing."""
    ws = find_sheet(wb, C.INSTRUCTIONS)
    if ws is None:
        return None, None
    wanted = tuple(h.casefold() for h in C.MODEL_TABLE_HEADERS)
    rows = list(ws.iter_rows(values_only=True))
    for index, row in enumerate(rows):
        if tuple(text(v).casefold() for v in row[:3]) == wanted:
            found = []
            for number, data in enumerate(rows[index + 1:], start=index + 2):
                if not data or is_blank(data[0]):
                    break
                found.append((text(data[0]), text(data[1]) if len(data) > 1 else "",
                              text(data[2]).lower() if len(data) > 2 else "", number))
            return ws, found
    return ws, None
