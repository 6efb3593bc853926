"""Finding things in a workbook the owners may have rearranged: sheets, header rows, lists,
the table of models on the Instructions sheet. Shared by the reader and ``--update``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

from ..vocabulary import DEFAULT_CHANNELS, DEFAULT_STAGES
from . import columns as C
from .values import is_blank, text

HEADER_SCAN_ROWS = 10


# openpyxl's iter_rows and max_row/max_column walk the whole rectangle up to the
# farthest cell: one cell at XFD1048576 makes that 17 billion cells. Everything
# here reads the cells the file really has (openpyxl keeps them in ``_cells``,
# keyed by (row, column)), so work follows the file's size, not its extent.

def used_rows(ws, min_row: int = 1, max_row: Optional[int] = None,
              max_column: Optional[int] = None) -> Iterator[Tuple[int, tuple]]:
    """(row number, values) of each row with at least one cell, in order.

    ``values`` runs from column A to the row's last cell, but at most to
    ``max_column`` (the last column a caller reads): a row whose only values
    lie beyond it ends in one of them, so that it still does not read as blank.
    Rows without cells are left out (they are blank).
    """
    by_row: Dict[int, Dict[int, object]] = {}
    beyond: Dict[int, object] = {}  # row -> a value past max_column
    for (row, column), cell in ws._cells.items():
        if row < min_row or (max_row is not None and row > max_row):
            continue
        cells = by_row.setdefault(row, {})
        if max_column is not None and column > max_column:
            if not is_blank(cell.value):
                beyond.setdefault(row, cell.value)
            continue
        cells[column] = cell.value
    for row in sorted(by_row):
        cells = by_row[row]
        width = max(cells, default=0)
        values = tuple(cells.get(column) for column in range(1, width + 1))
        if row in beyond and all(is_blank(v) for v in values):
            values = (None,) * max_column + (beyond[row],)
        yield row, values


def used_extent(ws) -> Tuple[int, int]:
    """(last row, last column) holding a value; (0, 0) for a sheet without values."""
    last_row = last_column = 0
    for (row, column), cell in ws._cells.items():
        if cell.value is not None and cell.value != "":
            last_row = max(last_row, row)
            last_column = max(last_column, column)
    return last_row, last_column


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

    @property
    def last_column(self) -> int:
        """The rightmost column the header names (what a row reader needs to read)."""
        return max([*self.columns.values(), *(c for c, _ in self.emotions), self.status or 0, 1])


def find_header(ws, known: Sequence[C.Column], required: str, emotions=False) -> Header:
    """The header row among the first rows: the first with ``required``, else the fullest."""
    lookup = C.header_lookup(known)
    best = Header(row=0)
    for row_number, row in used_rows(ws, 1, HEADER_SCAN_ROWS):
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
    header = next(used_rows(ws, 1, 1), (1, ()))[1]
    for column, name in enumerate(header, start=1):
        kind = C.normalise_header(name)
        if kind not in ("channels", "stages"):
            continue
        cells = sorted((row, cell.value) for (row, col), cell in ws._cells.items()
                       if col == column and row > 1)
        values = tuple(text(value) for _, value in cells if not is_blank(value))
        if kind == "channels" and values:
            channels = values
        elif kind == "stages" and values:
            stages = values
    return channels, stages


def recorded_models(wb):
    """(Instructions sheet, [(name, file, sha256, row)]) from the model table; the list is None
    when the sheet or the table is missing."""
    ws = find_sheet(wb, C.INSTRUCTIONS)
    if ws is None:
        return None, None
    wanted = tuple(h.casefold() for h in C.MODEL_TABLE_HEADERS)
    rows = dict(used_rows(ws, max_column=3))
    for index in sorted(rows):
        if tuple(text(v).casefold() for v in rows[index][:3]) == wanted:
            found = []
            number = index + 1
            while True:  # the table ends at the first row without a model name
                data = rows.get(number, ())
                if not data or is_blank(data[0]):
                    break
                found.append((text(data[0]), text(data[1]) if len(data) > 1 else "",
                              text(data[2]).lower() if len(data) > 2 else "", number))
                number += 1
            return ws, found
    return ws, None
