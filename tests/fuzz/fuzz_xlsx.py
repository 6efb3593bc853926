"""Seeded mutators of .xlsx workbooks: cells, sheets, and the zip itself.

Cells and sheets are changed through openpyxl (the file stays a valid workbook, so
the change reaches bpmncx's reading of it); zip-level mutations work on the raw
archive (damaged members that still pass a CRC check, unsupported compression,
DTDs and entities inside parts, far-away cells written straight into the XML).
Independent of bpmncx.
"""

from __future__ import annotations

import datetime
import io
import random
import struct
import warnings
import zipfile
import zlib
from typing import Callable, List

import openpyxl

VALUES = (
    "A" * 32000, "x" * 300, "Customer " * 27, "P" * 240, "😀", "frustrated", "delighted",
    "-2", "+2", "3", "-3", 2, -2, 99, 1.5, -0.0, float("1e308"), True, False, None, "",
    "=1/0", "=A1", "=SUM(A1:XFD1048576)", "=HYPERLINK(\"http://x\")", "#REF!", "#N/A",
    datetime.datetime(1900, 1, 1), datetime.date(2024, 2, 29), "Yes", "No", "y", "x",
    "<script>alert(1)</script>", "=cmd|' /C calc'!A0", "a, b; c\nd", "\u202eevil",
    "email", "web", "Task_1", "Activity_0", "  ", "Step 1", 1, 0, 10**15,
)
FAR = ("XFD1048576", "A1048576", "XFD1", "ZZ9999", "AAA100000")


def _workbook(data: bytes):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(io.BytesIO(data))


def _bytes(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# -- cells and sheets (through openpyxl) ----------------------------------------------

def cells(rng: random.Random, wb) -> None:
    for _ in range(rng.randint(1, 12)):
        ws = rng.choice(wb.worksheets)
        row = rng.randint(1, max(ws.max_row, 1) + 3)
        column = rng.randint(1, max(ws.max_column, 1) + 2)
        ws.cell(row=row, column=column).value = rng.choice(VALUES)


def far_cell(rng: random.Random, wb) -> None:
    ws = rng.choice(wb.worksheets)
    ws[rng.choice(FAR)] = rng.choice(["far", 1, "=1", "Customer"])


def headers(rng: random.Random, wb) -> None:
    ws = rng.choice(wb.worksheets)
    if _huge(ws):
        return
    for column in range(1, ws.max_column + 1):
        if rng.random() < 0.3:
            cell = ws.cell(row=rng.randint(1, 3), column=column)
            cell.value = rng.choice([None, "", "Element ID", "Persona", "Emotion: " + "P" * 240,
                                     "Emotion: Customer", "Customer step", "Model", "Status",
                                     "Supported by", "Step", "Emotion: 😀"])


def _huge(ws) -> bool:
    """A sheet far_cell reached: openpyxl moves rows and columns cell by cell through the
    whole extent (1,048,576 x 16,384 made the fuzz suite itself take 7 GB)."""
    return ws.max_row * ws.max_column > 100_000


def rows(rng: random.Random, wb) -> None:
    ws = rng.choice(wb.worksheets)
    if _huge(ws):
        return
    if rng.random() < 0.5:
        ws.insert_rows(rng.randint(1, 5), rng.randint(1, 3))
    else:
        ws.delete_rows(rng.randint(1, max(ws.max_row, 1)), rng.randint(1, 3))
    if rng.random() < 0.3:
        ws.insert_cols(rng.randint(1, 5))


def sheets(rng: random.Random, wb) -> None:
    choice = rng.randrange(6)
    ws = rng.choice(wb.worksheets)
    if choice == 0 and len(wb.worksheets) > 1:
        wb.remove(ws)
    elif choice == 1:
        ws.title = rng.choice(["touchpoints ", "JOURNEY", "Personas2", "x" * 31, "Lists", "Sheet"])
    elif choice == 2:
        wb.copy_worksheet(ws)
    elif choice == 3:
        ws.sheet_state = rng.choice(["hidden", "veryHidden", "visible"])
    elif choice == 4:
        wb.create_sheet(rng.choice(["Journey", "Touchpoints", "Extra"]), rng.randint(0, 4))
    else:
        wb.move_sheet(ws, rng.randint(-2, 2))


def long_persona(rng: random.Random, wb) -> None:
    """A persona named with ~240 characters, as owners paste whole descriptions."""
    for ws in wb.worksheets:
        if ws.title.strip().lower() == "personas":
            ws.cell(row=rng.randint(2, 4), column=1).value = rng.choice(["P" * 240, "Ω" * 200,
                                                                         "a/b\\c:d*?" * 25])


CELL_MUTATORS: List[Callable] = [cells, cells, far_cell, headers, rows, sheets, long_persona]


# -- the zip ------------------------------------------------------------------------

def _members(data: bytes):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info, archive.read(info.filename)) for info in archive.infolist()]


def _zip(members, method=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for info, body in members:
            clean = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            clean.compress_type = method
            archive.writestr(clean, body)
    return out.getvalue()


def part_content(rng: random.Random, data: bytes) -> bytes:
    """One XML part rewritten: a DTD or entity, a far cell or dimension, garbage, nothing."""
    members = _members(data)
    xml = [i for i, (info, _) in enumerate(members) if info.filename.endswith((".xml", ".rels"))]
    if not xml:
        return data
    index = rng.choice(xml)
    info, body = members[index]
    choice = rng.randrange(9)
    if choice == 0:
        start = body.find(b"?>") + 2 if body.startswith(b"<?xml") else 0
        body = body[:start] + b'<!DOCTYPE x [<!ENTITY e "v">]>' + body[start:]
    elif choice == 1:
        start = body.find(b"?>") + 2 if body.startswith(b"<?xml") else 0
        body = body[:start] + b'<!DOCTYPE x SYSTEM "http://127.0.0.1/x.dtd">' + body[start:]
    elif choice == 2:
        body = body.replace(b'"', b'"&e;', 1)
    elif choice == 3:
        body = body.replace(b"<sheetData>", b'<sheetData><row r="1048576"><c r="XFD1048576" '
                            b't="inlineStr"><is><t>far</t></is></c></row>', 1)
        body = body.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" s="0"/></row>'
                            b"</sheetData>", 1) if rng.random() < 0.5 else body
    elif choice == 4:
        body = body.replace(b'<dimension ref="', b'<dimension ref="A1:XFD1048576" x="', 1)
    elif choice == 5:
        body = b""
    elif choice == 6:
        body = body[:rng.randrange(len(body) + 1)]
    elif choice == 7:
        body = bytes(rng.randrange(256) for _ in range(rng.randint(1, 200)))
    else:
        members.pop(index)
        return _zip(members)
    members[index] = (info, body)
    return _zip(members)


def unsupported_compression(rng: random.Random, data: bytes) -> bytes:
    """A member whose compression method zipfile does not know (CRC and sizes intact)."""
    raw = bytearray(data)
    local = raw.find(b"PK\x03\x04", rng.randrange(max(len(raw) // 2, 1)))
    if local < 0:
        local = raw.find(b"PK\x03\x04")
    method = rng.choice([9, 6, 99, 1])  # deflate64, implode, AES, shrink
    if local >= 0:
        struct.pack_into("<H", raw, local + 8, method)
    central = raw.find(b"PK\x01\x02")
    while central >= 0 and rng.random() < 0.7:
        struct.pack_into("<H", raw, central + 10, method)
        central = raw.find(b"PK\x01\x02", central + 4)
    return bytes(raw)


def damaged_stream(rng: random.Random, data: bytes) -> bytes:
    """A deflate stream damaged but with the CRC of the damaged result, so the zip's
    integrity check passes and the damage shows only when the part is read."""
    members = _members(data)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for info, body in members:
            clean = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            archive.writestr(clean, body)
    raw = bytearray(out.getvalue())
    # One stored member relabelled as deflated: its bytes are not a deflate stream.
    index = rng.randrange(len(members))
    name = members[index][0].filename.encode()
    position = 0
    for _ in range(index + 1):
        position = raw.find(b"PK\x03\x04", position)
        if position < 0:
            return bytes(raw)
        if raw[position + 30:position + 30 + len(name)] == name:
            break
        position += 4
    if position < 0:
        return bytes(raw)
    struct.pack_into("<H", raw, position + 8, zipfile.ZIP_DEFLATED)
    central = raw.find(b"PK\x01\x02")
    while central >= 0:
        length = struct.unpack_from("<H", raw, central + 28)[0]
        if raw[central + 46:central + 46 + length] == name:
            struct.pack_into("<H", raw, central + 10, zipfile.ZIP_DEFLATED)
            break
        central = raw.find(b"PK\x01\x02", central + 4)
    return bytes(raw)


def flip_bytes(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[:rng.randrange(len(data) + 1)]


def central_directory(rng: random.Random, data: bytes) -> bytes:
    """Sizes, offsets or name lengths in the central directory changed."""
    raw = bytearray(data)
    entries = []
    position = raw.find(b"PK\x01\x02")
    while position >= 0:
        entries.append(position)
        position = raw.find(b"PK\x01\x02", position + 4)
    if not entries:
        return data
    entry = rng.choice(entries)
    field, size = rng.choice([(20, "<I"), (24, "<I"), (42, "<I"), (28, "<H"), (16, "<I")])
    value = rng.choice([0, 1, 0xFFFF, 0xFFFFFFFF if size == "<I" else 0xFFFF, rng.randrange(65536)])
    struct.pack_into(size, raw, entry + field, value)
    return bytes(raw)


def stored_crc_ok(rng: random.Random, data: bytes) -> bytes:
    """A part's bytes damaged (markup characters, NUL), CRC recomputed: the zip is sound,
    the XML inside it is not."""
    members = _members(data)
    index = rng.randrange(len(members))
    info, body = members[index]
    mangled = bytearray(body)
    for _ in range(rng.randint(1, 5)):
        if mangled:
            mangled[rng.randrange(len(mangled))] = rng.choice(b"<>&\"'\x00\xff")
    members[index] = (info, bytes(mangled))
    return _zip(members)


ZIP_MUTATORS: List[Callable] = [part_content, part_content, unsupported_compression,
                                damaged_stream, flip_bytes, truncate, central_directory,
                                stored_crc_ok]


def mutate(rng: random.Random, data: bytes) -> bytes:
    """One or two mutations of a workbook: through openpyxl about half the time, the
    zip the other half."""
    if rng.random() < 0.5:
        try:
            wb = _workbook(data)
        except Exception:
            return rng.choice(ZIP_MUTATORS)(rng, data)
        for _ in range(rng.randint(1, 2)):
            rng.choice(CELL_MUTATORS)(rng, wb)
        try:
            return _bytes(wb)
        except Exception:  # openpyxl refuses to save what it was given: mutate the zip
            return rng.choice(ZIP_MUTATORS)(rng, data)
    try:
        return rng.choice(ZIP_MUTATORS)(rng, data)
    except (zipfile.BadZipFile, zlib.error, struct.error, ValueError, KeyError):
        return flip_bytes(rng, data)
