"""Text for a terminal: names from untrusted files cannot move the cursor or reorder a line."""

from __future__ import annotations

import re

# Control characters in untrusted names could move the cursor or recolour the terminal.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Bidirectional controls (marks, embeddings, overrides, isolates) could visually reorder a
# line; on a terminal they are shown escaped, e.g. "\u202e". (JSON, CSV and HTML keep them
# as data, escaped or isolated there.)
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible_bidi(text: str) -> str:
    """``text`` with every bidi control character written out as ``\\uXXXX``."""
    return _BIDI.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def plain(text: str) -> str:
    """``text`` safe for a terminal: control characters blanked, bidi controls escaped."""
    return visible_bidi(_CONTROL.sub(" ", text))
