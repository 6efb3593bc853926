"""Safe, forgiving XML parsing for files users export from modelling tools.

Hostile input (entity declarations, external DTDs) is refused; messy input
(wrong encoding, namespace declarations that are not URIs) is recovered with a
warning, because real exports are like that.
"""

from __future__ import annotations

from typing import List, Tuple

from lxml import etree

from ..errors import BpmnReadError

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


def _parser(recover: bool = False, encoding: str = None) -> etree.XMLParser:
    # Never resolve entities, never load a DTD, never touch the network.
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        recover=recover,
        encoding=encoding,
        remove_comments=False,
    )


def _first_error(error_log) -> str:
    for entry in error_log:
        if entry.level_name in ("ERROR", "FATAL"):
            return f"{entry.message.strip()} (line {entry.line})"
    return "not well-formed XML"


def _is_encoding_problem(error_log) -> bool:
    return any(
        e.type in _ENCODING_ERRORS
        or "not proper UTF-8" in e.message
        or "Invalid bytes in character encoding" in e.message
        for e in error_log
    )


def _is_namespace_problem(error_log) -> bool:
    errors = [e for e in error_log if e.level_name in ("ERROR", "FATAL")]
    return bool(errors) and all(e.domain == _NAMESPACE_DOMAIN for e in errors)


def _namespace_warnings(error_log) -> List[str]:
    return [
        f"namespace problem recovered: {e.message.strip()} (line {e.line})"
        for e in error_log
        if e.domain == _NAMESPACE_DOMAIN
    ]


def parse_bytes(data: bytes, path: str) -> Tuple[etree._Element, List[str]]:
    """Parse ``data`` into an element tree root; return it and the warnings."""
    warnings: List[str] = []
    if not data.strip():
        raise BpmnReadError(path, "file is empty, not a BPMN XML file")
    parser = _parser()
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        log = err.error_log
        if _is_encoding_problem(log):
            root = _reparse_as_cp1252(data, path)
            warnings.append(
                "bytes not valid in the declared encoding; decoded as Windows-1252 (cp1252)"
            )
        elif _is_namespace_problem(log):
            recovering = _parser(recover=True)
            root = etree.fromstring(data, recovering)
            if root is None:
                raise BpmnReadError(path, f"not well-formed XML: {_first_error(log)}")
            warnings.extend(_namespace_warnings(log))
        else:
            raise BpmnReadError(path, f"not well-formed XML: {_first_error(log)}") from None
    else:
        warnings.extend(_namespace_warnings(parser.error_log))
    _refuse_doctype(root, path)
    return root, warnings


def _reparse_as_cp1252(data: bytes, path: str) -> etree._Element:
    text = data.decode("cp1252", errors="replace")
    try:
        return etree.fromstring(text.encode("utf-8"), _parser(encoding="utf-8"))
    except etree.XMLSyntaxError as err:
        raise BpmnReadError(path, f"not well-formed XML: {_first_error(err.error_log)}") from None


def _refuse_doctype(root: etree._Element, path: str) -> None:
    docinfo = root.getroottree().docinfo
    dtd = docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise BpmnReadError(
            path,
            "refused: the file declares XML entities in a DOCTYPE "
            "(entity expansion attack?); BPMN files never need them",
        )
    if docinfo.system_url or docinfo.public_id:
        raise BpmnReadError(
            path,
            "refused: the file refers to an external DTD; bpmncx never fetches or reads it",
        )
    if _has_entity_reference(root):
        raise BpmnReadError(path, "refused: the file uses undeclared XML entities")


def _has_entity_reference(root: etree._Element) -> bool:
    # Only possible with a DOCTYPE; skip the tree walk for the usual file.
    if not root.getroottree().docinfo.doctype:
        return False
    return any(True for _ in root.iter(etree.Entity))


def split_tag(tag) -> Tuple[str, str]:
    """``{ns}local`` -> (ns, local); comments and PIs give ("", "")."""
    if not isinstance(tag, str):
        return "", ""
    if tag[0] == "{":
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag
