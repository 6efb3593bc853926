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
import warnings
import zipfile
from typing import Optional

import openpyxl
from openpyxl.writer.excel import ExcelWriter

from ..errors import WorkbookError
from ..files import write_atomic

FIXED_TIME = datetime.datetime(2000, 1, 1, 0, 0, 0)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAX_UNPACKED = 300 * 1024 * 1024  # refuse zip bombs
_SAVE_AS = "open it in Excel or LibreOffice and save it as an Excel workbook (.xlsx)"


def _sniff(path: str, head: bytes) -> None:
    """Raise a WorkbookError for anything that is not an .xlsx zip."""
    if not head:
        raise WorkbookError(f"{path}: the file is empty; regenerate it with 'bpmncx template'")
    if head.startswith(_OLE_MAGIC):
        with open(path, "rb") as handle:
            data = handle.read(4 * 1024 * 1024)
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
    """Load an .xlsx with openpyxl, or raise a WorkbookError saying what to do."""
    path = os.fspath(path)
    try:
        with open(path, "rb") as handle:
            head = handle.read(8192)
    except FileNotFoundError:
        raise WorkbookError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise WorkbookError(f"{path}: is a directory, not a workbook") from None
    except OSError as error:
        raise WorkbookError(f"{path}: cannot read file: {error.strerror or error}") from None
    _sniff(path, head)
    damaged = (
        f"{path}: the workbook is damaged or incomplete and cannot be read; open it in Excel "
        "(which can often repair it) and save it again, or use your last good copy"
    )
    try:
        with zipfile.ZipFile(path) as archive:
            if sum(info.file_size for info in archive.infolist()) > _MAX_UNPACKED:
                raise WorkbookError(f"{path}: the workbook unpacks to more than 300 MB; refusing to read it")
            names = set(archive.namelist())
            if "xl/workbook.xml" not in names:
                if "content.xml" in names:
                    raise WorkbookError(f"{path}: this is an OpenDocument spreadsheet (.ods); {_SAVE_AS}")
                raise WorkbookError(damaged)
            if archive.testzip() is not None:
                raise WorkbookError(damaged)
    except zipfile.BadZipFile:
        raise WorkbookError(damaged) from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions
            return openpyxl.load_workbook(path, data_only=data_only)
    except WorkbookError:
        raise
    except Exception:  # openpyxl raises many kinds on broken parts
        raise WorkbookError(damaged) from None


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


def save(workbook, path, backup: bool = True) -> Optional[str]:
    """Save atomically; an existing different file is first copied to a backup.

    Returns the backup path, or None when no backup was needed.
    """
    path = os.fspath(path)
    data = workbook_bytes(workbook)
    made = None
    if backup and os.path.exists(path):
        with open(path, "rb") as handle:
            old = handle.read()
        if old == data:
            return None
        made = backup_path(path)
        write_atomic(made, old)
    write_atomic(path, data)
    return made
