"""Finish Graphviz's SVG: inline the pictures, name every part, add tooltips.

Graphviz refers to each icon picture by its file path; here the picture's
elements are copied in place, so the SVG stands alone and carries no temporary
path. Every group drawn for a BPMN element gets ``data-element-id`` (its BPMN
id) and a ``<title>`` a browser shows on hover.
"""

from __future__ import annotations

import copy
from typing import Dict, Optional

from lxml import etree

from . import styles
from .graph import ID_SEPARATOR, Scene
from .icons import SVG_NS, num

_SVG = "{%s}" % SVG_NS
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True,
                          load_dtd=False, huge_tree=True)


class _Pictures:
    """Parsed icon pictures by file name, parsed once per batch."""

    def __init__(self, images: Dict[str, bytes]):
        self.images = images
        self.parsed: Dict[str, etree._Element] = {}

    def get(self, key: str) -> Optional[etree._Element]:
        if key not in self.parsed:
            data = self.images.get(key)
            if data is None:
                return None
            self.parsed[key] = etree.fromstring(data, _PARSER)
        return self.parsed[key]


def finish_svg(raw: bytes, scene: Scene, pictures: Optional[_Pictures] = None,
               scale: float = 1.0) -> bytes:
    """The final SVG document for ``scene`` from Graphviz's output ``raw``."""
    pictures = pictures or _Pictures(scene.images)
    root = etree.fromstring(raw, _PARSER)
    root.set("data-origin", f"{num(scene.origin[0])} {num(scene.origin[1])}")
    root.set("data-model", scene.name)
    if scale != 1.0:
        root.set("width", f"{num(scene.width * scale)}pt")
        root.set("height", f"{num(scene.height * scale)}pt")
    for graph in root.iter(_SVG + "g"):
        if graph.get("class") == "graph":
            graph.set("id", "diagram")
            title = graph.find(_SVG + "title")
            if title is not None:
                title.text = scene.name
            break
    _restore_cluster_order(root, scene.cluster_order)
    for group in list(root.iter(_SVG + "g")):
        cls = group.get("class")
        if cls not in ("node", "edge", "cluster"):
            continue
        svg_id = group.get("id", "")
        element_id, _, part = svg_id.partition(ID_SEPARATOR)
        group.set("data-element-id", element_id)
        if part:
            group.set("data-part", part)
        for name, value in sorted(scene.attributes.get(svg_id, {}).items()):
            group.set(name, value)
        title = group.find(_SVG + "title")
        tooltip = scene.tooltips.get(element_id)
        if title is not None:
            if tooltip:
                title.text = tooltip
            else:
                group.remove(title)
        placed = scene.pictures.get(svg_id)
        if placed is not None:
            _inline(group, placed, pictures)
    for text in root.iter(_SVG + "text"):
        if text.get("font-family", "").startswith(styles.FONT):
            bold = text.get("font-family", "").endswith("Bold")
            text.set("font-family", styles.SVG_FONT_FAMILY)
            if bold:
                text.set("font-weight", "bold")
    for element in root.iter():
        if element.tail is not None and not element.tail.strip():
            element.tail = "\n"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _restore_cluster_order(root, order) -> None:
    """Put the cluster groups back in the order they were declared (Graphviz's order of
    sibling clusters depends on memory addresses, so it changes from run to run)."""
    clusters = [g for g in root.iter(_SVG + "g") if g.get("class") == "cluster"]
    if len(clusters) < 2:
        return
    rank = {svg_id: index for index, svg_id in enumerate(order)}
    parent = clusters[0].getparent()
    if any(g.getparent() is not parent for g in clusters):
        return
    at = parent.index(clusters[0])
    for g in clusters:
        parent.remove(g)
    clusters.sort(key=lambda g: rank.get(g.get("id", ""), len(rank)))
    for offset, g in enumerate(clusters):
        parent.insert(at + offset, g)


def _inline(group, placed, pictures: _Pictures) -> None:
    """Put a picture into its (empty) Graphviz group as a nested ``<svg>``."""
    key, x, y, width, height = placed
    picture = pictures.get(key)
    holder = etree.SubElement(group, _SVG + "svg")
    for name, value in (("x", x), ("y", y), ("width", width), ("height", height)):
        holder.set(name, num(value))
    if picture is not None:
        holder.set("viewBox", picture.get("viewBox", ""))
        for child in picture:
            holder.append(copy.deepcopy(child))
    holder.set("overflow", "visible")
