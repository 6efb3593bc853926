"""Which column of a CSV or Parquet log holds what: found by meaning, or named by the user."""

from __future__ import annotations

import re
from typing import Dict, List, Mapping, Optional, Sequence

from ..errors import EventLogError

# The event table's source columns, in the order of the documented table.
ROLES = ("case_id", "activity", "timestamp", "lifecycle", "resource", "channel")
REQUIRED = ("case_id", "activity", "timestamp")

# Header names meaning each role, compared without case, spaces or punctuation
# ("Case ID", "case_id", "case:concept:name" all read as "caseid"/"caseconceptname").
# The first listed wins when a file has several.
MEANINGS: Dict[str, Sequence[str]] = {
    "case_id": ("caseid", "case", "caseconceptname", "casekey", "caseno", "casenumber",
                "orderid", "ordernumber", "orderno", "order", "ticketid", "ticketnumber",
                "ticket", "claimid", "claimnumber", "claim", "applicationid", "requestid",
                "processinstanceid", "processinstance", "instanceid", "traceid",
                "journeyid", "customerjourneyid"),
    "activity": ("activity", "activityname", "conceptname", "event", "eventname", "task",
                 "taskname", "step", "stepname", "action", "activityid", "operation"),
    "timestamp": ("timestamp", "timetimestamp", "time", "datetime", "date", "eventtime",
                  "eventtimestamp", "eventdate", "ts", "completetimestamp", "endtimestamp",
                  "endtime", "when", "occurredat", "recordedat", "createdat", "loggedat"),
    "lifecycle": ("lifecycle", "lifecycletransition", "transition", "eventtype",
                  "lifecyclestate"),
    "resource": ("resource", "orgresource", "user", "username", "performer", "agent",
                 "employee", "staff", "actor", "owner"),
    "channel": ("channel", "touchpointchannel", "medium", "source"),
}

OPTION_NAMES = {
    "case_id": "--case-column",
    "activity": "--activity-column",
    "timestamp": "--time-column",
    "lifecycle": "--lifecycle-column",
    "resource": "--resource-column",
    "channel": "--channel-column",
}

_LABELS = {
    "case_id": "case id", "activity": "activity", "timestamp": "timestamp",
    "lifecycle": "lifecycle", "resource": "resource", "channel": "channel",
}


def header_key(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.casefold())


def find_columns(path: str, header: Sequence[str],
                 named: Optional[Mapping[str, str]] = None) -> Dict[str, Optional[str]]:
    """Role -> the header as spelled in the file (None for a missing optional role).

    ``named`` maps roles to the header the user chose (any case and spacing);
    a named column that is not there, or a required role no header means, is an
    :class:`EventLogError` listing the file's columns.
    """
    named = {role: name for role, name in (named or {}).items() if name}
    unknown = sorted(set(named) - set(ROLES))
    if unknown:
        raise ValueError(f"unknown column roles {unknown}; use {', '.join(ROLES)}")
    by_key: Dict[str, str] = {}
    for name in header:
        by_key.setdefault(header_key(name), name)
    listed = ", ".join(header) if header else "none"
    found: Dict[str, Optional[str]] = {}
    # A column the user named is never found again for another role.
    taken: List[str] = [by_key[header_key(n)] for n in named.values() if header_key(n) in by_key]
    for role in ROLES:
        if role in named:
            column = by_key.get(header_key(named[role]))
            if column is None:
                raise EventLogError(path, f"no column {named[role]!r} for the {_LABELS[role]} "
                                          f"(columns: {listed})")
        else:
            column = next((by_key[k] for k in MEANINGS[role]
                           if k in by_key and by_key[k] not in taken), None)
        if column is None and role in REQUIRED:
            raise EventLogError(path, f"no {_LABELS[role]} column (columns: {listed}); "
                                      f"name it with {OPTION_NAMES[role]}")
        found[role] = column
        if column is not None:
            taken.append(column)
    return found
