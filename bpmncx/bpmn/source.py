"""A BPMN file's own text, with the position of every tag and attribute.

Writing annotated BPMN must leave everything we do not add exactly as it was
(attribute order and quoting, ``<a></a>`` versus ``<a/>``, character
references, line ends, the XML declaration), which re-serialising an lxml tree
does not. So the writer edits the original text: lxml parses the file (safely,
via :func:`bpmncx.bpmn.xml.parse_bytes`) and gives the structure; this module
finds where each element's tags and attributes sit in the text, checked against
that tree, and applies insertions and replacements at those places.

Only markup boundaries are located here (tags, comments, PIs, CDATA); nothing
is interpreted from the text that lxml did not already parse.
"""

from __future__ import annotations

import codecs
import sys
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from lxml import etree

from ..errors import BpmnReadError
from ..files import xml_safe
from .xml import parse_document, split_tag

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SPACE = " \t\r\n"
# one Tag and a few Attrs per element of the file: without a __dict__ each, a model of
# 10,000 tasks takes ~100 MB less while annotated
_SLOTS = {"slots": True} if sys.version_info >= (3, 10) else {}


@dataclass(**_SLOTS)
class Attr:
    qname: str
    ws_start: int  # where the whitespace before the name starts
    start: int  # the name
    value_start: int  # first character inside the quotes
    value_end: int  # the closing quote
    quote: str

    @property
    def end(self) -> int:
        return self.value_end + 1


@dataclass(**_SLOTS)
class Tag:
    """One element as written: its start tag, attributes, and (unless empty) end tag."""

    qname: str
    start: int  # the '<'
    prev_end: int  # end of the markup or text token before it
    attrs: List[Attr]
    attrs_end: int  # just after the last attribute (or the name)
    stag_end: int  # just after the start tag's '>'
    self_closing: bool
    end: int = -1  # just after the whole element
    etag_start: int = -1  # the '</' of the end tag
    children: List["Tag"] = field(default_factory=list)
    el: Optional[etree._Element] = None

    @property
    def slash(self) -> int:
        """Position of the '/' of '/>' in an empty-element tag."""
        return self.stag_end - 2


class Source:
    """The decoded text of a BPMN file, its lxml tree, and where every element is."""

    def __init__(self, data: bytes, path: str = "<bytes>"):
        self.path = path
        # the recovered bytes when the declared encoding was wrong: edits start from them
        self.root, self.warnings, data = parse_document(data, path)
        self.data = data
        self.encoding, self.bom = _encoding_of(data, self.root)
        try:
            self.text = data[len(self.bom):].decode(self.encoding, errors="surrogateescape")
        except (LookupError, UnicodeDecodeError) as err:
            raise BpmnReadError(path, f"cannot decode the file as {self.encoding}: {err}") from None
        self.tags: List[Tag] = []  # every element, document order
        self.root_tag = self._lex()
        self._match()
        self.tag_of: Dict[etree._Element, Tag] = {t.el: t for t in self.tags}
        self.newline = "\r\n" if "\r\n" in self.text else "\n"

    # -- locating ---------------------------------------------------------

    def _lex(self) -> Tag:
        text = self.text
        pos = 0
        stack: List[Tag] = []
        root: Optional[Tag] = None
        n = len(text)
        while True:
            lt = text.find("<", pos)
            if lt < 0:
                break
            prev_end = pos
            if text.startswith("<!--", lt):
                pos = self._find(text, "-->", lt + 4) + 3
            elif text.startswith("<![CDATA[", lt):
                pos = self._find(text, "]]>", lt + 9) + 3
            elif text.startswith("<?", lt):
                pos = self._find(text, "?>", lt + 2) + 2
            elif text.startswith("<!", lt):  # DOCTYPE, maybe with an internal subset
                close = self._find(text, ">", lt)
                bracket = text.find("[", lt, close)
                if bracket >= 0:
                    close = self._find(text, ">", self._find(text, "]", bracket))
                pos = close + 1
            elif text.startswith("</", lt):
                gt = self._find(text, ">", lt)
                if not stack:
                    raise self._error("an end tag without a start tag", lt)
                tag = stack.pop()
                tag.etag_start = lt
                tag.end = pos = gt + 1
            else:
                tag = self._start_tag(text, lt, prev_end, n)
                self.tags.append(tag)
                if stack:
                    stack[-1].children.append(tag)
                elif root is None:
                    root = tag
                if tag.self_closing:
                    tag.end = tag.stag_end
                else:
                    stack.append(tag)
                pos = tag.stag_end
        if root is None or stack:
            raise self._error("unbalanced tags", len(text))
        return root

    def _start_tag(self, text: str, lt: int, prev_end: int, n: int) -> Tag:
        i = lt + 1
        while i < n and text[i] not in _SPACE and text[i] not in "/>":
            i += 1
        qname = text[lt + 1 : i]
        attrs: List[Attr] = []
        attrs_end = i
        while True:
            ws = i
            while i < n and text[i] in _SPACE:
                i += 1
            if i >= n:
                raise self._error("unterminated start tag", lt)
            if text[i] == ">":
                return Tag(qname, lt, prev_end, attrs, attrs_end, i + 1, False)
            if text.startswith("/>", i):
                return Tag(qname, lt, prev_end, attrs, attrs_end, i + 2, True)
            name_start = i
            while i < n and text[i] not in _SPACE and text[i] != "=":
                i += 1
            name = text[name_start:i]
            while i < n and text[i] in _SPACE:
                i += 1
            if i >= n or text[i] != "=":
                raise self._error(f"attribute {name} without a value", name_start)
            i += 1
            while i < n and text[i] in _SPACE:
                i += 1
            quote = text[i] if i < n else ""
            if quote not in ("'", '"'):
                raise self._error(f"attribute {name} without quotes", name_start)
            close = self._find(text, quote, i + 1)
            attrs.append(Attr(name, ws, name_start, i + 1, close, quote))
            i = attrs_end = close + 1

    def _find(self, text: str, what: str, start: int) -> int:
        found = text.find(what, start)
        if found < 0:
            raise self._error(f"unterminated markup (no {what!r})", start)
        return found

    def _error(self, what: str, offset: int) -> BpmnReadError:
        line = self.text.count("\n", 0, offset) + 1
        return BpmnReadError(self.path, f"cannot locate the XML markup: {what} (line {line})")

    def _match(self) -> None:
        elements = list(self.root.iter(etree.Element))
        if len(elements) != len(self.tags):
            raise self._error(
                f"{len(self.tags)} tags found but the parser saw {len(elements)} elements", 0
            )
        for tag, el in zip(self.tags, elements):
            # (a recovered file may have tags like "bpmn2:task" with no namespace)
            if tag.qname.rpartition(":")[2] != el.tag.rpartition("}")[2].rpartition(":")[2]:
                raise self._error(f"<{tag.qname}> found where <{el.tag}> was parsed", tag.start)
            plain = [a for a in tag.attrs if a.qname != "xmlns" and not a.qname.startswith("xmlns:")]
            if len(plain) != len(el.attrib):
                raise self._error(f"<{tag.qname}> attributes do not match the parser's", tag.start)
            tag.el = el

    # -- reading positions ------------------------------------------------

    def attr(self, tag: Tag, uri: str, local: str) -> Optional[Attr]:
        """The attribute ``{uri}local`` as written (``uri`` "" for a plain attribute)."""
        nsmap = tag.el.nsmap
        for a in tag.attrs:
            prefix, colon, name = a.qname.rpartition(":")
            if name != local or prefix == "xmlns" or a.qname == "xmlns":
                continue
            if not colon:
                if not uri:
                    return a
            elif nsmap.get(prefix) == uri:
                return a
        return None

    def raw(self, a: Attr) -> str:
        return self.text[a.value_start : a.value_end]

    def indent_of(self, tag: Tag) -> Optional[str]:
        """The whitespace the tag's line starts with, if the tag starts its line."""
        line_start = self.text.rfind("\n", 0, tag.start) + 1
        lead = self.text[line_start : tag.start]
        return lead if lead.strip(_SPACE) == "" and line_start > 0 else None

    def child_separator(self, parent: Tag) -> str:
        """What goes before a new child of ``parent``: newline and indent, or nothing."""
        for child in parent.children:
            indent = self.indent_of(child)
            if indent is not None:
                return self.newline + indent
            return ""
        indent = self.indent_of(parent)
        if indent is None:
            return ""
        return self.newline + indent + "  "


def _encoding_of(data: bytes, root) -> Tuple[str, bytes]:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, bom
    declared = root.getroottree().docinfo.encoding or "utf-8"
    try:
        name = codecs.lookup(declared).name
    except LookupError:
        name = "utf-8"
    if name.startswith("utf-16") or name.startswith("utf-32"):
        name = "utf-8"  # declared but no BOM: lxml read it as bytes it could parse
    return name, b""


class Edits:
    """Replacements on a :class:`Source` text, applied in one go to its bytes."""

    def __init__(self, source: Source):
        self.source = source
        self._edits: List[Tuple[int, int, int, str]] = []

    def insert(self, pos: int, text: str) -> None:
        self.replace(pos, pos, text)

    def replace(self, start: int, end: int, text: str) -> None:
        self._edits.append((start, end, len(self._edits), text))

    def __bool__(self) -> bool:
        return bool(self._edits)

    def apply(self) -> bytes:
        src = self.source
        edits = sorted(self._edits)
        out = [src.bom]
        pos = 0
        for start, end, _, text in edits:
            if start < pos:
                raise AssertionError(f"overlapping edits at {start} in {src.path}")
            out.append(src.text[pos:start].encode(src.encoding, errors="surrogateescape"))
            out.append(text.encode(src.encoding, errors="xmlcharrefreplace"))
            pos = end
        out.append(src.text[pos:].encode(src.encoding, errors="surrogateescape"))
        return b"".join(out)




def escape_attr(value: str, quote: str = '"') -> str:
    """Text for inside an attribute value; keeps tabs and line breaks as they are."""
    value = xml_safe(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = value.replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")
    return value.replace('"', "&quot;") if quote == '"' else value.replace("'", "&apos;")


def escape_text(value: str) -> str:
    value = xml_safe(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value.replace("\r", "&#13;")


def local_name(tag: Tag) -> str:
    return split_tag(tag.el.tag)[1]
