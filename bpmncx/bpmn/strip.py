"""Remove everything bpmncx added to a BPMN file, giving back the original bytes.

What :mod:`bpmncx.bpmn.write` adds is marked, so exactly that goes:

* elements in the bpmncx namespace, and elements carrying ``cx:generated``
  (with the line break and indent written before them); ``cx:generated="reopened"``
  means the parent was an empty-element tag ``<x/>`` and is closed again;
* ``cx:orig="KEY KEY=ORIGINAL ..."`` on an element lists the attributes bpmncx set
  there: a bare key was added (removed again), ``KEY=...`` replaced a value
  (the original text, percent-encoded, is put back);
* ``cx:ns="p q"`` on the root lists namespace declarations bpmncx added;
* every other attribute in the bpmncx namespace and its declaration.
"""

from __future__ import annotations

import os
from typing import Dict, List, Set, Tuple
from urllib.parse import unquote

from .extension import CX_NS
from .source import Attr, Edits, Source, Tag
from .xml import BIOC_NS, COLOR_NS

KEY_NAMESPACES: Dict[str, str] = {"bioc": BIOC_NS, "color": COLOR_NS, "": ""}
GENERATED = "{%s}generated" % CX_NS
ORIG = "{%s}orig" % CX_NS
NS_LIST = "{%s}ns" % CX_NS
REOPENED = "reopened"


def key_name(key: str) -> Tuple[str, str]:
    """``bioc:fill`` -> (biocolor namespace, "fill"); ``metaValue`` -> ("", "metaValue")."""
    prefix, _, local = key.rpartition(":")
    return KEY_NAMESPACES[prefix], local


def is_ours(tag: Tag) -> bool:
    el = tag.el
    return el.get(GENERATED) is not None or (
        isinstance(el.tag, str) and el.tag.startswith("{%s}" % CX_NS)
    )


def strip_bpmn(source_bytes: bytes, path: str = "<bytes>") -> bytes:
    """The file without bpmncx's additions (byte-identical to what was annotated)."""
    source = Source(source_bytes, path)
    edits, _ = strip_edits(source)
    return edits.apply() if edits else source_bytes


def strip_edits(source: Source) -> Tuple[Edits, Set[str]]:
    """The edits that remove bpmncx's additions, and the ids of removed elements."""
    stripper = _Stripper(source)
    if CX_NS in _declared_uris(source):
        stripper.visit(source.root_tag, is_root=True)
        stripper.namespace_declarations()
    return stripper.edits, stripper.removed


def _declared_uris(source: Source) -> Set[str]:
    uris: Set[str] = set()
    for tag in source.tags:
        for a in tag.attrs:
            if a.qname.startswith("xmlns"):
                uris.add(source.raw(a))
    return uris


class _Stripper:
    def __init__(self, source: Source):
        self.source = source
        self.edits = Edits(source)
        self.removed: Set[str] = set()
        self.used: Set[str] = set()  # prefixes that what is kept still uses
        self.declarations: List[Tuple[Attr, str]] = []  # namespace declarations we added

    def visit(self, tag: Tag, is_root: bool = False) -> None:
        if not is_root and is_ours(tag):
            self.remove_element(tag)
            return
        self.used.add(tag.qname.partition(":")[0] if ":" in tag.qname else "")
        self.attributes(tag, is_root)
        if _was_empty(self.source, tag):
            self.edits.replace(tag.stag_end - 1, tag.end, "/>")
            for child in tag.children:
                _collect_ids(child, self.removed)
            return
        for child in tag.children:
            self.visit(child)

    def remove_element(self, tag: Tag) -> None:
        text = self.source.text
        start = tag.prev_end if text[tag.prev_end : tag.start].strip() == "" else tag.start
        self.edits.replace(start, tag.end, "")
        _collect_ids(tag, self.removed)

    def attributes(self, tag: Tag, is_root: bool) -> None:
        source, el = self.source, tag.el
        gone = set()
        for token in (el.get(ORIG) or "").split():
            key, eq, original = token.partition("=")
            try:
                uri, local = key_name(key)
            except KeyError:
                continue
            a = source.attr(tag, uri, local)
            if a is None:
                continue
            if eq:
                self.edits.replace(a.value_start, a.value_end, unquote(original))
            else:
                self.edits.replace(a.ws_start, a.end, "")
                gone.add(id(a))
        added_prefixes = set((el.get(NS_LIST) or "").split()) if is_root else set()
        nsmap = el.nsmap
        for a in tag.attrs:
            if id(a) in gone:
                continue
            prefix, colon, local = a.qname.partition(":")
            if prefix == "xmlns" and colon:
                if source.raw(a) == CX_NS:
                    self.edits.replace(a.ws_start, a.end, "")
                elif local in added_prefixes:
                    self.declarations.append((a, local))
                continue
            if colon and nsmap.get(prefix) == CX_NS:
                self.edits.replace(a.ws_start, a.end, "")
                continue
            if colon:
                self.used.add(prefix)
            value_prefix, value_colon, _ = source.raw(a).partition(":")
            if value_colon:  # a QName value (xsi:type="bpmn:tFormalExpression")
                self.used.add(value_prefix)

    def namespace_declarations(self) -> None:
        """Remove the declarations bpmncx added, unless something kept uses them
        (a modeller may have coloured more elements with the same prefix)."""
        for a, prefix in self.declarations:
            if prefix not in self.used:
                self.edits.replace(a.ws_start, a.end, "")


def _was_empty(source: Source, tag: Tag) -> bool:
    """All content was added by bpmncx into what was an empty-element tag."""
    if not tag.children or not all(c.el.get(GENERATED) == REOPENED for c in tag.children):
        return False
    inside = source.text[tag.stag_end : tag.etag_start]
    for child in tag.children:  # what is left besides the children must be blank
        inside = inside.replace(source.text[child.start : child.end], "", 1)
    return inside.strip() == ""


def _collect_ids(tag: Tag, removed: Set[str]) -> None:
    for el in tag.el.iter():
        if isinstance(el.tag, str) and el.get("id"):
            removed.add(el.get("id"))


def strip_file(path: str, output: str) -> None:
    """Strip the BPMN file at ``path`` into ``output`` (written atomically)."""
    from ..errors import BpmnReadError
    from ..files import write_atomic
    from .xml import read_bytes

    data = read_bytes(path)
    if os.path.abspath(path) == os.path.abspath(output):
        raise BpmnReadError(path, "refusing to overwrite the input; give another -o")
    write_atomic(output, strip_bpmn(data, path))
