"""XES (IEEE 1849) event logs, streamed: one trace in memory at a time.

lxml's iterparse never resolves entities, loads a DTD or touches the network;
an XES file has no use for a DOCTYPE, so one declaring entities is refused (an
entity bomb is an error, not a hang).
"""

from __future__ import annotations

from typing import Iterator, List, Optional, Tuple

from lxml import etree

from ..errors import EventLogError

# The standard extensions' keys read into the event table.
KEYS = {
    "concept:name": "activity",
    "time:timestamp": "timestamp",
    "lifecycle:transition": "lifecycle",
    "org:resource": "resource",
    "channel": "channel",
    "cx:channel": "channel",
}
_ATTRIBUTES = frozenset({"string", "date", "int", "float", "boolean", "id"})

# (case id, activity, timestamp text, lifecycle, resource, channel, line)
Row = Tuple[Optional[str], Optional[str], Optional[str], Optional[str], Optional[str],
            Optional[str], int]


def _local(tag) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def read_xes(path: str, batch: int = 50_000) -> Iterator[List[Row]]:
    """Rows of the event table's source columns, in batches, in file order.

    An event outside any trace has no case id (a bad row); a trace's own
    ``concept:name`` is the case id wherever it stands in the trace.
    """
    rows: List[Row] = []
    stack: List[str] = []
    trace: List[list] = []
    case: Optional[str] = None
    event: Optional[list] = None
    try:
        parser = etree.iterparse(
            path, events=("start", "end"), resolve_entities=False, load_dtd=False,
            no_network=True, huge_tree=False, remove_comments=True, remove_pis=True,
        )
        for action, elem in parser:
            local = _local(elem.tag)
            if action == "start":
                if not stack:
                    _check_root(path, elem)
                parent = stack[-1] if stack else ""
                stack.append(local)
                if local == "trace" and parent == "log":
                    trace, case = [], None
                elif local == "event" and parent in ("trace", "log"):
                    event = [None, None, None, None, None, elem.sourceline or 0]
                continue
            stack.pop()
            parent = stack[-1] if stack else ""
            if local in _ATTRIBUTES:
                role = KEYS.get(elem.get("key", ""))
                if parent == "event" and event is not None and role:
                    slot = ("activity", "timestamp", "lifecycle", "resource", "channel").index(role)
                    if event[slot] is None:
                        event[slot] = elem.get("value")
                elif parent == "trace" and elem.get("key") == "concept:name":
                    case = elem.get("value")
            elif local == "event" and event is not None:
                if parent == "trace":
                    trace.append(event)
                else:  # an event outside a trace: no case id
                    rows.append((None, *event))
                event = None
                elem.clear()
            elif local == "trace" and parent == "log":
                rows.extend((case, *e) for e in trace)
                trace = []
                elem.clear()
                # Finished traces are not needed again: keep memory flat.
                while elem.getprevious() is not None:
                    del elem.getparent()[0]
                if len(rows) >= batch:
                    yield rows
                    rows = []
    except etree.XMLSyntaxError as error:
        message = " ".join(str(error.msg or error).split())
        if "entit" in message.casefold():
            raise EventLogError(path, "refused: the file uses XML entities (entity expansion "
                                      "attack?); XES logs never need them",
                                line=error.lineno or None) from None
        raise EventLogError(path, f"not well-formed XML: {message}",
                            line=error.lineno or None) from None
    except OSError as error:
        raise EventLogError(path, f"cannot read file: {error.strerror or error}") from None
    if rows:
        yield rows


def _check_root(path: str, root) -> None:
    docinfo = root.getroottree().docinfo
    dtd = docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise EventLogError(path, "refused: the file declares XML entities in a DOCTYPE "
                                  "(entity expansion attack?); XES logs never need them")
    if docinfo.system_url or docinfo.public_id:
        raise EventLogError(path, "refused: the file refers to an external DTD; "
                                  "bpmncx never fetches or reads it")
    if _local(root.tag) != "log":
        raise EventLogError(path, f"not an XES event log: the root element is "
                                  f"<{_local(root.tag)}>, not <log>", line=root.sourceline)
