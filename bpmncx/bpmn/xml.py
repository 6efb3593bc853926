"""Safe, forgiving XML parsing for files users export from modelling tools.

Hostile input (entity declarations, external DTDs) is refused; messy input
(wrong encoding, namespace declarations that are not URIs) is recovered with a
warning, because real exports are like that.

libxml2 is told never to resolve entities, never to load a DTD and never to
touch the network, so refusing happens after a parse that read nothing but
the file itself.
"""

from __future__ import annotations

import codecs
import os
import stat
from typing import List, Optional, Tuple

from lxml import etree

from ..errors import BpmnReadError
from ..files import InputRefused, read_input
from ..limits import limit

MODEL_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
DC_NS = "http://www.omg.org/spec/DD/20100524/DC"
DI_NS = "http://www.omg.org/spec/DD/20100524/DI"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
BIOC_NS = "http://bpmn.io/schema/bpmn/biocolor/1.0"
COLOR_NS = "http://www.omg.org/spec/BPMN/non-normative/color/1.0"
SIGNAVIO_NS = "http://www.signavio.com"

_NAMESPACE_DOMAIN = etree.ErrorDomains.NAMESPACE
_ENCODING_ERRORS = {
    etree.ErrorTypes.ERR_INVALID_CHAR,
    etree.ErrorTypes.ERR_INVALID_ENCODING,
    etree.ErrorTypes.ERR_UNKNOWN_ENCODING,
    etree.ErrorTypes.ERR_UNSUPPORTED_ENCODING,
}
_UNICODE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_CP1252_FALLBACK = "bpmncx-cp1252-fallback"
_ENTITY_DECLARATIONS = (
    "refused: the file declares XML entities in a DOCTYPE "
    "(entity expansion attack?); BPMN files never need them"
)


def _cp1252_for_invalid_bytes(error: UnicodeDecodeError):
    """Codec error handler: decode each byte UTF-8 rejected as Windows-1252.

    The five bytes cp1252 leaves undefined map to the same code point (Latin-1).
    """
    chunk = error.object[error.start : error.end]
    text = "".join(
        bytes([byte]).decode("cp1252", errors="ignore") or chr(byte) for byte in chunk
    )
    return text, error.end


codecs.register_error(_CP1252_FALLBACK, _cp1252_for_invalid_bytes)


# Never resolve entities, never load a DTD, never touch the network.
_SAFE = dict(
    resolve_entities=False,
    load_dtd=False,
    no_network=True,
    dtd_validation=False,
    huge_tree=False,
)
_SNIFF_BYTES = 64 * 1024
_MAX_DEPTH = 256  # libxml2's limit without huge_tree


def _parser(recover: bool = False, encoding: Optional[str] = None) -> etree.XMLParser:
    return etree.XMLParser(**_SAFE, recover=recover, encoding=encoding, remove_comments=False)


def is_bpmn_file(path) -> bool:
    """True when the file's root element is a BPMN 2.0 ``<definitions>``.

    Cheap: only the start of the file is read and only the first element parsed,
    with the same safe settings as a full read. An unreadable file is not BPMN.
    """
    try:
        # Not open(): a named pipe would wait for a writer, a device never end.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return False
            head = handle.read(_SNIFF_BYTES)
    except OSError:
        return False
    parser = etree.XMLPullParser(events=("start",), **_SAFE, recover=False)
    try:
        parser.feed(head)
        for _event, element in parser.read_events():
            return element.tag == "{%s}definitions" % MODEL_NS
    except etree.XMLSyntaxError:
        return False
    return False


def _try_parse(data: bytes, encoding: Optional[str] = None):
    """Parse strictly; return (root or None, the parser's own error log)."""
    parser = _parser(encoding=encoding)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        # Use the parser's log: the exception's log accumulates across parses.
        return None, parser.error_log
    return root, parser.error_log


def _errors(error_log) -> list:
    return [e for e in error_log if e.level_name in ("ERROR", "FATAL")]


def _first_error(error_log) -> str:
    for entry in _errors(error_log):
        return f"{' '.join(entry.message.split())} (line {entry.line})"
    return "not well-formed XML"


def _is_encoding_problem(error_log) -> bool:
    return any(
        e.type in _ENCODING_ERRORS
        or "not proper UTF-8" in e.message
        or "Invalid bytes in character encoding" in e.message
        for e in _errors(error_log)
    )


def _is_namespace_problem(error_log) -> bool:
    errors = _errors(error_log)
    return bool(errors) and all(e.domain == _NAMESPACE_DOMAIN for e in errors)


def _namespace_warnings(error_log) -> List[str]:
    return [
        f"namespace problem recovered: {' '.join(e.message.split())} (line {e.line})"
        for e in error_log
        if e.domain == _NAMESPACE_DOMAIN
    ]


def _invalid_utf8_line(data: bytes) -> Optional[int]:
    """Line of the first byte that is not valid UTF-8, or None if all are."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return data.count(b"\n", 0, error.start) + 1
    return None


_ZIP_MAGIC = b"PK\x03\x04"


def read_bytes(path) -> bytes:
    """The bytes of the file at ``path``; :class:`BpmnReadError` naming it if unreadable."""
    path = os.fspath(path)
    try:
        return read_input(path, "BPMNCX_MAX_BPMN_BYTES", "BPMN")
    except InputRefused as refused:
        raise BpmnReadError(path, str(refused)) from None
    except OSError as err:
        raise BpmnReadError(path, f"cannot read file: {err.strerror or err}") from None


def parse_bytes(data: bytes, path: str) -> Tuple[etree._Element, List[str]]:
    """Parse ``data`` into an element tree root; return it and the warnings."""
    root, warnings, _ = parse_document(data, path)
    return root, warnings


def parse_document(data: bytes, path: str) -> Tuple[etree._Element, List[str], bytes]:
    """:func:`parse_bytes`, and the bytes the tree was parsed from: ``data`` itself, or
    when bytes invalid in the declared UTF-8 were read as Windows-1252, ``data`` in
    valid UTF-8. Whoever edits the file's text must start from these, or the edited
    file carries the invalid bytes on and is not well-formed XML."""
    warnings: List[str] = []
    if not data or data.isspace():  # not data.strip(): that copies the whole file
        raise BpmnReadError(path, "file is empty, not a BPMN XML file")
    if data.startswith(_ZIP_MAGIC):  # the usual mix-up: the workbook given as the model
        raise BpmnReadError(path, "this is a zip file (an Excel workbook?), not BPMN XML; "
                                  "give the .bpmn file exported by the modeller")
    _refuse_too_many_elements(data, path)
    encoding = None
    root, log = _try_parse(data)
    if root is None and _is_encoding_problem(log) and not data.startswith(_UNICODE_BOMS):
        line = _invalid_utf8_line(data)
        if line is not None:
            # A text saved by an old editor has a few such bytes (accented names); binary
            # data has them everywhere, and reading each one as cp1252 through the error
            # handler would take minutes on a large file before failing anyway.
            invalid = data.decode("utf-8", errors="replace").count("\ufffd")
            if invalid > len(data) // 10:
                raise BpmnReadError(
                    path, f"not well-formed XML: {_first_error(log)}; {invalid:,} of its "
                          f"{len(data):,} bytes are not valid UTF-8 (not a text file?)")
            data = data.decode("utf-8", errors=_CP1252_FALLBACK).encode("utf-8")
            encoding = "utf-8"
            root, log = _try_parse(data, encoding)
            warnings.append(
                f"bytes not valid in the declared encoding (first on line {line}); "
                "read them as Windows-1252 (cp1252)"
            )
    if root is None and _is_namespace_problem(log):
        recovering = _parser(recover=True, encoding=encoding)
        root = etree.fromstring(data, recovering)
        if root is None:
            raise BpmnReadError(path, f"not well-formed XML: {_first_error(log)}")
    if root is None:
        errors = _errors(log)
        if any("entity" in e.message.lower() and e.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT
               for e in errors):
            raise BpmnReadError(path, _ENTITY_DECLARATIONS)
        if any("ENTITY" in e.type_name for e in errors):
            raise BpmnReadError(
                path,
                f"refused: the file uses XML entities ({_first_error(log)}); "
                "BPMN files never need them and bpmncx never expands or fetches them",
            )
        deep = [e for e in errors if "Excessive depth" in e.message]
        if deep:  # libxml2's own bound, which keeps every later walk of the tree shallow
            raise BpmnReadError(path, f"refused: elements nested more than {_MAX_DEPTH} deep "
                                      f"(line {deep[0].line}); BPMN files never need that")
        raise BpmnReadError(path, f"not well-formed XML: {_first_error(log)}")
    warnings.extend(_namespace_warnings(log))
    _refuse_doctype(root, path)
    return root, warnings, data


def _refuse_too_many_elements(data: bytes, path: str) -> None:
    """BpmnReadError before parsing a file with more elements than BPMNCX_MAX_XML_ELEMENTS.

    lxml takes about 600 bytes per element (a 45 MB file of 1.5 million waypoints
    parses into 900 MB), so the count, not the size, bounds the memory a file
    takes. Counting "<" not followed by "/" is an upper bound found in
    milliseconds; only past the limit are elements counted exactly, as a stream
    ("<" also opens comments and may sit in CDATA).
    """
    most = limit("BPMNCX_MAX_XML_ELEMENTS")
    # An element takes at least four bytes ("<a/>"): a small file cannot be over.
    if len(data) < 4 * most or data.count(b"<") - data.count(b"</") <= most:
        return
    count = 0
    parser = etree.XMLPullParser(events=("end",), **_SAFE, recover=False)
    try:
        for start in range(0, len(data), 1 << 20):
            parser.feed(data[start:start + (1 << 20)])
            for _event, element in parser.read_events():
                count += 1
                element.clear()  # keep the tree small: drop what was counted
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:
                    del parent[0]
            if count > most:
                raise BpmnReadError(path, f"the file has more than {most:,} XML elements "
                                          "(BPMNCX_MAX_XML_ELEMENTS); no BPMN diagram needs that "
                                          "many; split the model")
    except etree.XMLSyntaxError:
        return  # the full parse says what is wrong with it


def _refuse_doctype(root: etree._Element, path: str) -> None:
    docinfo = root.getroottree().docinfo
    if not docinfo.doctype and docinfo.internalDTD is None:
        return  # the usual file: nothing to check
    dtd = docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise BpmnReadError(path, _ENTITY_DECLARATIONS)
    if docinfo.system_url or docinfo.public_id:
        raise BpmnReadError(
            path,
            "refused: the file refers to an external DTD; bpmncx never fetches or reads it",
        )
    if any(True for _ in root.iter(etree.Entity)):
        raise BpmnReadError(path, "refused: the file uses XML entities; BPMN files never need them")


def split_tag(tag) -> Tuple[str, str]:
    """``{ns}local`` -> (ns, local); comments and PIs give ("", "")."""
    if not isinstance(tag, str):
        return "", ""
    if tag[0] == "{":
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag
