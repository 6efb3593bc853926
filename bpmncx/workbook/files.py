"""Opening and saving workbook files: the only place that touches the disk.

Opening recognises what people actually hand over (legacy .xls, CSV,
password-protected or damaged files) and says what to do. Saving is
deterministic (fixed document dates, fixed zip timestamps) and atomic (a
temporary file in the same directory, then rename).
"""

from __future__ import annotations

import datetime
import io
import os
import struct
import warnings
import zipfile
import zlib
from typing import Optional

import openpyxl
from lxml import etree
from openpyxl.writer.excel import ExcelWriter

from ..errors import WorkbookError
from ..files import (InputRefused, read_input, refuse_to_replace, remove_stale_temporaries,
                     write_atomic)
from ..limits import limit, size_text

FIXED_TIME = datetime.datetime(2000, 1, 1, 0, 0, 0)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SAVE_AS = "open it in Excel or LibreOffice and save it as an Excel workbook (.xlsx)"


def _sniff(path: str, head: bytes, data: bytes) -> None:
    """Raise a WorkbookError for anything that is not an .xlsx zip."""
    if not head:
        raise WorkbookError(f"{path}: the file is empty; regenerate it with 'bpmncx template'")
    if head.startswith(_OLE_MAGIC):
        data = data[:4 * 1024 * 1024]
        if "EncryptionInfo".encode("utf-16-le") in data or b"EncryptedPackage" in data or \
                "EncryptedPackage".encode("utf-16-le") in data:
            raise WorkbookError(
                f"{path}: the workbook is password-protected; open it in Excel, remove the "
                "password (File > Info > Protect Workbook > Encrypt with Password, clear it) "
                "and save it again"
            )
        raise WorkbookError(
            f"{path}: this is a legacy Excel 97-2003 file (.xls); {_SAVE_AS}"
        )
    if head.startswith(b"PK"):
        return
    if head.startswith(b"<?xml") or head.lstrip().startswith(b"<"):
        raise WorkbookError(f"{path}: this is an XML or HTML file, not an Excel workbook; {_SAVE_AS}")
    sample = head[:4096]
    try:
        decoded = sample.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            decoded = sample.decode("cp1252")
        except UnicodeDecodeError:
            decoded = ""
    if decoded and all(ch.isprintable() or ch in "\r\n\t" for ch in decoded):
        raise WorkbookError(
            f"{path}: this is a text (CSV) file, not an Excel workbook; the workbook's sheets and "
            "dropdowns are lost in CSV: fill in the .xlsx made by 'bpmncx template' instead, or "
            f"{_SAVE_AS}"
        )
    raise WorkbookError(f"{path}: not an Excel workbook (.xlsx); {_SAVE_AS}")


def open_workbook(path, data_only: bool = True):
    """Load an .xlsx with openpyxl, or raise a WorkbookError saying what to do.

    The file is read once, within its size limit, and everything after that
    works on those bytes: a file swapped or growing meanwhile changes nothing.
    Every XML part is checked (DTDs and entities refused, cells counted) by a
    streaming parse before openpyxl builds the whole workbook in memory.
    """
    return _open(path, data_only)[0]


def open_workbook_values(path):
    """(workbook of values, {sheet title: {(row, column), ...}}): the saved values, and the
    cells holding a formula without a saved result (which read as empty).

    One openpyxl load: the formulas are seen in the streaming check of the parts,
    not by loading the workbook a second time with ``data_only=False``.
    """
    return _open(path, True, formulas=True)


def _open(path, data_only: bool, formulas: bool = False):
    path = os.fspath(path)
    data = read_workbook_bytes(path)
    _sniff(path, data[:8192], data)
    damaged = (
        f"{path}: the workbook is damaged or incomplete and cannot be read; open it in Excel "
        "(which can often repair it) and save it again, or use your last good copy"
    )
    # A zip passing the checks can still fail deep inside zlib or zipfile: every
    # way of not being readable is the same "damaged" to the owners.
    unreadable = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError,
                  ValueError, KeyError, RuntimeError, struct.error)
    unsaved = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            most = limit("BPMNCX_MAX_XLSX_UNPACKED_BYTES")
            if sum(info.file_size for info in archive.infolist()) > most:
                raise WorkbookError(f"{path}: the workbook unpacks to more than "
                                    f"{size_text(most)}; refusing to read it (set "
                                    "BPMNCX_MAX_XLSX_UNPACKED_BYTES to allow more)")
            names = set(archive.namelist())
            if "xl/workbook.xml" not in names:
                if "content.xml" in names:
                    raise WorkbookError(f"{path}: this is an OpenDocument spreadsheet (.ods); {_SAVE_AS}")
                raise WorkbookError(damaged)
            if archive.testzip() is not None:
                raise WorkbookError(damaged)
            by_part = _check_parts(path, archive, damaged)
            if formulas and by_part:
                unsaved = _by_sheet_title(archive, by_part)
    except unreadable:
        raise WorkbookError(damaged) from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions
            workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=data_only)
    except WorkbookError:
        raise
    except Exception:  # openpyxl raises many kinds on broken parts
        raise WorkbookError(damaged) from None
    return workbook, unsaved


def read_workbook_bytes(path) -> bytes:
    """The bytes of the workbook file, within BPMNCX_MAX_XLSX_BYTES, or a WorkbookError."""
    try:
        return read_input(path, "BPMNCX_MAX_XLSX_BYTES", "workbook")
    except InputRefused as refused:
        raise WorkbookError(f"{path}: {refused}") from None
    except FileNotFoundError:
        raise WorkbookError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise WorkbookError(f"{path}: is a directory, not a workbook") from None
    except OSError as error:
        raise WorkbookError(f"{path}: cannot read file: {error.strerror or error}") from None


_XML_PART = (".xml", ".rels", ".vml")
_CELL = "c"
_CHUNK = 1 << 16


def _check_parts(path: str, archive: zipfile.ZipFile, damaged: str) -> None:
    """Parse every XML part as a stream: refuse DTDs and entities, count the cells.

    openpyxl keeps every cell of every sheet in memory, so the cell count bounds
    the memory reading takes; the parse itself keeps almost nothing.

    Returns {part name: {(row, column), ...}}: the cells with a formula but no
    saved result (``<f>`` without a ``<v>``), which openpyxl reads as empty.
    """
    most = limit("BPMNCX_MAX_XLSX_CELLS")
    cells = 0
    unsaved = {}
    for info in archive.infolist():
        name = info.filename
        if not name.lower().endswith(_XML_PART):
            continue
        parser = etree.XMLPullParser(events=("start", "end"), resolve_entities=False,
                                     load_dtd=False, no_network=True, huge_tree=False)
        checked_prolog = False
        formula = result = False  # of the cell being read
        with archive.open(info) as part:
            while True:
                chunk = part.read(_CHUNK)
                try:
                    if chunk:
                        parser.feed(chunk)
                    else:
                        parser.close()
                    for event, element in parser.read_events():
                        if not checked_prolog:
                            checked_prolog = True
                            docinfo = element.getroottree().docinfo
                            if docinfo.doctype or docinfo.internalDTD is not None:
                                raise WorkbookError(_dtd_refused(path, name))
                        if event != "end":
                            continue
                        if element.tag.__class__ is not str:
                            raise WorkbookError(_dtd_refused(path, name))  # an entity
                        local = element.tag.rpartition("}")[2]
                        if local == _CELL:
                            cells += 1
                            if formula and not result:
                                place = _cell_place(element.get("r"))
                                if place:
                                    unsaved.setdefault(name, set()).add(place)
                            formula = result = False
                        elif local == "f":
                            # an array formula's cell reads as the formula object, not as empty
                            formula = element.get("t") != "array"
                        elif local == "v":
                            result = bool(element.text)
                        # Keep the tree small: drop what was read.
                        element.clear()
                        while element.getprevious() is not None:
                            del element.getparent()[0]
                except etree.XMLSyntaxError as error:
                    if "entity" in str(error).lower() or "doctype" in str(error).lower():
                        raise WorkbookError(_dtd_refused(path, name)) from None
                    raise WorkbookError(f"{damaged} ({name} is not well-formed XML)") from None
                if cells > most:
                    raise WorkbookError(
                        f"{path}: the workbook has more than {most:,} cells, the limit "
                        "bpmncx reads (set BPMNCX_MAX_XLSX_CELLS to allow more); a bpmncx "
                        "workbook needs one row per element of the model")
                if not chunk:
                    break
    return unsaved


def _cell_place(reference):
    """(row, column) of a cell reference such as 'AB12', or None."""
    if not reference:
        return None
    from openpyxl.utils.cell import coordinate_from_string, column_index_from_string

    try:
        letters, row = coordinate_from_string(reference)
        return row, column_index_from_string(letters)
    except ValueError:
        return None


def _by_sheet_title(archive: zipfile.ZipFile, by_part):
    """{part name: cells} -> {sheet title: cells}, through xl/workbook.xml and its relations."""
    relations = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    safe = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
    targets = {}
    try:
        rels = etree.fromstring(archive.read("xl/_rels/workbook.xml.rels"), safe)
    except KeyError:
        return {}
    for rel in rels:
        target = rel.get("Target") or ""
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[rel.get("Id")] = os.path.normpath(target).replace(os.sep, "/")
    titles = {}
    book = etree.fromstring(archive.read("xl/workbook.xml"), safe)
    for sheet in book.iter("{*}sheet"):
        part = targets.get(sheet.get(relations))
        if part in by_part:
            titles[sheet.get("name")] = by_part[part]
    return titles


def _dtd_refused(path: str, part: str) -> str:
    return (f"{path}: refused: {part} is an XML part with a DTD or entity declaration, which "
            "Excel never writes; open the workbook in Excel or LibreOffice and save it again, "
            "or use your last good copy")


def workbook_bytes(workbook) -> bytes:
    """The .xlsx bytes, identical for identical content (no timestamps)."""
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    workbook.properties.creator = "bpmncx"
    workbook.properties.lastModifiedBy = None
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    fixed = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            clean = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            clean.compress_type = zipfile.ZIP_DEFLATED
            clean.external_attr = 0o600 << 16
            target.writestr(clean, source.read(info.filename))
    return fixed.getvalue()


def backup_path(path) -> str:
    """'x.xlsx' -> 'x.bak.xlsx', or 'x.bak2.xlsx', ... : the first name not taken."""
    path = os.fspath(path)
    stem, ext = os.path.splitext(path)
    candidate = f"{stem}.bak{ext}"
    number = 2
    while os.path.exists(candidate):
        candidate = f"{stem}.bak{number}{ext}"
        number += 1
    return candidate


def save(workbook, path, backup: bool = True, force: bool = False) -> Optional[str]:
    """Save atomically; an existing different file is first copied to a backup.

    A workbook open in LibreOffice or Excel, or read-only, is not replaced
    unless ``force`` (see bpmncx.files.refuse_to_replace).
    Returns the backup path, or None when no backup was needed.
    """
    path = os.fspath(path)
    refuse_to_replace(path, force)
    remove_stale_temporaries(path)  # also when nothing is written (an unchanged workbook)
    data = workbook_bytes(workbook)
    made = None
    if backup and os.path.exists(path):
        old = read_workbook_bytes(path)
        if old == data:
            return None
        made = backup_path(path)
        write_atomic(made, old)
    write_atomic(path, data)
    return made
