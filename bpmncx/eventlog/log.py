"""Reading an event log (CSV, Parquet or XES) into DuckDB's documented event table.

The table every measure is a query over (see the README, "The event table")::

    events(case_id VARCHAR, activity VARCHAR, ts TIMESTAMPTZ,
           lifecycle VARCHAR, resource VARCHAR, channel VARCHAR, line BIGINT)

``ts`` is an instant (the session time zone is UTC; a timestamp without a zone
is read as UTC); ``lifecycle`` is lower case (``start``, ``complete``, ...);
``line`` is where the event is in the file: the line of a CSV record (the
header is line 1; counting records, so a quoted field spanning lines shifts the
numbers after it), the row of a Parquet file (1-based), the line of an XES
``<event>``. Rows without a case id, activity or understood timestamp are not
in the table; they are counted with their lines (:attr:`EventLog.bad_rows`).
"""

from __future__ import annotations

import codecs
import os
import shutil
import tempfile
import weakref
from dataclasses import dataclass, field
from typing import Dict, List, Mapping, Optional, Tuple

import duckdb

from ..errors import EventLogError
from ..files import InputRefused, check_name, check_regular
from .columns import ROLES, find_columns
from .timestamps import (
    DATE_ORDERS,
    SLASH,
    fast_iso_sql,
    fast_zoned_sql,
    parse_sql,
    slash_order_sql,
    zoned_sql,
)
from .xes import read_xes

FORMATS = ("csv", "parquet", "xes")
BAD_ROWS_SHOWN = 5

_PARQUET_MAGIC = b"PAR1"
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class BadRow:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass(frozen=True)
class EventLog:
    """A log read into an in-process DuckDB database holding the ``events`` table.

    Measuring only reads it (from its own cursor), so one log serves any number
    of measurements. ``close()`` frees the memory; the object is also a context
    manager.
    """

    source: str
    format: str
    connection: duckdb.DuckDBPyConnection = field(repr=False, compare=False)
    events: int
    cases: int
    bad_rows: int
    bad_examples: Tuple[BadRow, ...]  # the first few, in file order
    columns: Tuple[Tuple[str, str], ...]  # (role, column in the file) for CSV and Parquet
    time_zones: str  # "given" (every timestamp has its zone) or "none (read as UTC)"
    date_order: Optional[str] = None  # "dmy"/"mdy" when slash dates were read
    scratch: Optional[str] = field(default=None, repr=False, compare=False)
    encoding: str = "UTF-8"  # of a CSV: "UTF-8", "UTF-16" or "Windows-1252" (not UTF-8)

    def bad_rows_message(self) -> str:
        """One line: "3 rows skipped (line 4: ...; line 9: ...; and 1 more)", or ""."""
        if not self.bad_rows:
            return ""
        shown = "; ".join(str(b) for b in self.bad_examples)
        more = self.bad_rows - len(self.bad_examples)
        rest = f"; and {more} more" if more > 0 else ""
        noun = "row" if self.bad_rows == 1 else "rows"
        return f"{self.source}: {self.bad_rows} {noun} skipped ({shown}{rest})"

    def activities(self) -> List[Tuple[str, int, int]]:
        """(activity, events, cases), most frequent first, then by name."""
        return self.connection.cursor().execute(
            "SELECT activity, count(*), count(DISTINCT case_id) FROM events "
            "GROUP BY activity ORDER BY 2 DESC, 1").fetchall()

    def write_parquet(self, path) -> None:
        """Write the event table as one Parquet file, whole or not at all."""
        write_query_parquet(self.connection, "SELECT case_id, activity, ts, lifecycle, resource, "
                            "channel, line FROM events ORDER BY line", path)

    def close(self) -> None:
        """Free the table and remove the spill folder (also done when the log is
        garbage collected)."""
        _release(self.connection, self.scratch)

    def __enter__(self) -> "EventLog":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# DuckDB keeps the event table in memory up to this much and spills the rest to a
# private temporary folder: a 10-million-event log stays well under 1 GB.
MEMORY_LIMIT = "512MB"


def connect(scratch: Optional[str] = None,
            memory_limit: str = MEMORY_LIMIT) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that never downloads extensions and works in UTC;
    it spills to ``scratch`` (never to the current folder, DuckDB's default)."""
    con = duckdb.connect(":memory:", config={
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
    })
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET enable_progress_bar = false")  # it would draw on the user's terminal
    if scratch is not None:
        con.execute("SET temp_directory = ?", [scratch])
        con.execute("SET memory_limit = ?", [memory_limit])
    else:
        con.execute("SET temp_directory = ''")  # no spilling: no files anywhere
    return con


def _release(con, scratch: Optional[str]) -> None:
    try:
        con.close()
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


def load_log(path, columns: Optional[Mapping[str, str]] = None, format: Optional[str] = None,
             date_order: Optional[str] = None, memory_limit: str = MEMORY_LIMIT) -> EventLog:
    """Read an event log into the event table.

    ``format`` is csv, parquet or xes (default: from the file's first bytes and
    name). ``columns`` names the source column of a role (``case_id``,
    ``activity``, ``timestamp``, ``lifecycle``, ``resource``, ``channel``) where
    finding it by meaning is not enough. ``date_order`` ("dmy" or "mdy") decides
    slash dates such as 01/03/2024 when the data does not. ``memory_limit``
    (DuckDB's spelling, e.g. "2GB") is how much memory the table may take
    before DuckDB spills to a temporary folder removed by :meth:`EventLog.close`.
    Raises :class:`~bpmncx.errors.EventLogError` with a one-line message naming
    the file (and line) when the log cannot be read; bad rows are counted.
    """
    path = os.fspath(path)
    if format is not None and format not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    if date_order is not None and date_order not in DATE_ORDERS:
        raise ValueError(f"date_order must be one of {DATE_ORDERS}")
    try:
        check_name(path)
        check_regular(path, "event log")
    except InputRefused as refused:
        raise EventLogError(path, str(refused)) from None
    format = format or _sniff_format(path)
    scratch = tempfile.mkdtemp(prefix="bpmncx-eventlog-")
    try:
        con = connect(scratch, memory_limit)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    try:
        encoding = _csv_encoding(path) if format == "csv" else "UTF-8"
        with _readable_name(path) as name:
            if format == "csv":
                if encoding == "Windows-1252":  # DuckDB reads no such thing: a UTF-8 copy
                    name = _utf8_copy(path, scratch)
                found = _stage_csv(con, path, name, columns, date_order,
                                   "UTF-16" if encoding == "UTF-16" else "UTF-8")
            elif format == "parquet":
                found = _stage_parquet(con, path, name, columns, date_order)
            else:
                found = _stage_xes(con, path, date_order)
        log = _finish(con, path, format, found, date_order, scratch, encoding)
    except duckdb.Error as error:
        _release(con, scratch)
        raise EventLogError(path, f"cannot read the {format.upper()} log: {_one_line(error)}") \
            from None
    except BaseException:
        _release(con, scratch)
        raise
    weakref.finalize(log, _release, con, scratch)
    return log


# -- formats -------------------------------------------------------------------


def _sniff_format(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            head = handle.read(512)
    except IsADirectoryError:
        raise EventLogError(path, "is a folder, not an event log file") from None
    except OSError as error:
        raise EventLogError(path, f"cannot read file: {error.strerror or error}") from None
    if not head.strip():
        raise EventLogError(path, "file is empty, not an event log")
    if head.startswith(_PARQUET_MAGIC):
        return "parquet"
    if head.startswith(_ZIP_MAGIC):
        raise EventLogError(path, "this is a zip file (an Excel workbook?), not an event log; "
                                  "export the log as CSV, Parquet or XES")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if path.casefold().endswith(".xes") or text.startswith(b"<"):
        return "xes"
    return "csv"


class _readable_name:
    """A name DuckDB reads as this one file: its own, or a link to it in a
    temporary folder when the name holds glob characters DuckDB would expand."""

    def __init__(self, path: str):
        self.path = os.path.abspath(path)
        self.folder: Optional[str] = None

    def __enter__(self) -> str:
        if not any(c in self.path for c in "*?[]{}"):
            return self.path
        self.folder = tempfile.mkdtemp(prefix="bpmncx-log-")
        link = os.path.join(self.folder, "log" + os.path.splitext(self.path)[1])
        os.symlink(self.path, link)
        return link

    def __exit__(self, *exc) -> None:
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _text(column: Optional[str]) -> str:
    return f"CAST({_quote(column)} AS VARCHAR)" if column else "NULL"


def _csv_encoding(path: str) -> str:
    """How a CSV log's text is written, from its first megabyte: "UTF-16" (Excel's
    "Unicode text" export, with its byte order mark), "Windows-1252" when the bytes are
    not UTF-8 (Excel's CSV on Windows: without this every row holding an accent was
    skipped), else "UTF-8"."""
    with open(path, "rb") as handle:
        head = handle.read(1 << 20)
    if head.startswith(b"\xff\xfe"):
        return "UTF-16"
    if head.startswith(b"\xfe\xff"):
        raise EventLogError(path, "UTF-16 big-endian text, which the log reader cannot read; "
                                  "save the log as CSV UTF-8")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 3:  # not only a character cut at the megabyte's end
            return "Windows-1252"
    return "UTF-8"


def _utf8_copy(path: str, scratch: str) -> str:
    """A UTF-8 copy of a Windows-1252 file in ``scratch``, written piece by piece (the
    five bytes Windows-1252 leaves undefined become U+FFFD; line ends stay, so line
    numbers do)."""
    target = os.path.join(scratch, "log-utf8.csv")
    decoder = codecs.getincrementaldecoder("cp1252")(errors="replace")
    with open(path, "rb") as source, open(target, "wb") as out:
        for piece in iter(lambda: source.read(1 << 20), b""):
            out.write(decoder.decode(piece).encode("utf-8"))
    return target


def _stage_csv(con, path, name, columns, date_order,
               encoding: str = "UTF-8") -> Dict[str, Optional[str]]:
    reader = (f"read_csv(?, all_varchar=true, header=true, store_rejects=true, "
              f"rejects_limit=0, encoding='{encoding.lower()}')")
    header = [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {reader}", [name]).fetchall()]
    found = find_columns(path, header, columns)
    source = (f"SELECT {', '.join(_text(found[r]) + ' AS ' + r for r in ROLES)}, "
              f"row_number() OVER () + 1 AS line FROM {reader}")
    _stage_text(con, source, [name], date_order)
    # Records DuckDB could not split into the header's columns are bad rows too; the
    # lines counted above skip them, so move later lines down past each one.
    con.execute("CREATE TEMP TABLE rejected AS SELECT line, error_type, "
                "row_number() OVER (ORDER BY line) AS n FROM reject_errors")
    if con.execute("SELECT count(*) FROM rejected").fetchone()[0]:
        con.execute("UPDATE staged SET line = line + (SELECT count(*) FROM rejected "
                    "WHERE rejected.line - 1 - rejected.n < staged.line - 1)")
    return found


def _stage_parquet(con, path, name, columns, date_order) -> Dict[str, Optional[str]]:
    reader = "read_parquet(?, file_row_number=true)"
    described = con.execute(f"DESCRIBE SELECT * FROM {reader}", [name]).fetchall()
    types = {row[0]: row[1] for row in described if row[0] != "file_row_number"}
    found = find_columns(path, list(types), columns)
    time_column = found["timestamp"]
    kind = types[time_column].upper()
    if kind.startswith("TIMESTAMP") or kind == "DATE":
        # A native type: no text to read; TIMESTAMP WITH TIME ZONE is an instant,
        # the others are read as UTC.
        zoned = "true" if "TIME ZONE" in kind or kind == "TIMESTAMPTZ" else "false"
        others = ", ".join(_text(found[r]) + " AS " + r for r in ROLES if r != "timestamp")
        source = (f"SELECT {others}, "
                  f"CAST({_quote(time_column)} AS TIMESTAMPTZ) AS ts, {zoned} AS zoned, "
                  f"file_row_number + 1 AS line FROM {reader}")
        con.execute(f"""
            CREATE TABLE staged AS
            SELECT nullif(trim(case_id), '') AS case_id, nullif(trim(activity), '') AS activity,
                   ts, NULL::VARCHAR AS ts_text, zoned,
                   lower(nullif(trim(lifecycle), '')) AS lifecycle,
                   resource, channel,
                   line
            FROM ({source})""", [name])
    else:
        source = (f"SELECT {', '.join(_text(found[r]) + ' AS ' + r for r in ROLES)}, "
                  f"file_row_number + 1 AS line FROM {reader}")
        _stage_text(con, source, [name], date_order)
    return found


def _stage_xes(con, path, date_order) -> Dict[str, Optional[str]]:
    con.execute("CREATE TEMP TABLE xes_rows (case_id VARCHAR, activity VARCHAR, "
                "timestamp VARCHAR, lifecycle VARCHAR, resource VARCHAR, channel VARCHAR, "
                "line BIGINT)")
    for rows in read_xes(path):
        # Column lists go in as DuckDB lists: far faster than one INSERT per row.
        con.execute("INSERT INTO xes_rows SELECT UNNEST(?), UNNEST(?), UNNEST(?), UNNEST(?), "
                    "UNNEST(?), UNNEST(?), UNNEST(?)", [list(c) for c in zip(*rows)])
    _stage_text(con, "SELECT * FROM xes_rows", [], date_order)
    con.execute("DROP TABLE xes_rows")
    return {}


def _stage_text(con, source: str, params: list, date_order: Optional[str]) -> None:
    """``staged``: every source row, its timestamp read from text (kept when it is
    not ISO, so that slash dates can be read again once their order is known)."""
    con.execute(f"""
        CREATE TABLE staged AS
        SELECT nullif(trim(case_id), '') AS case_id, nullif(trim(activity), '') AS activity,
               ts, CASE WHEN ts IS NULL OR NOT iso THEN t END AS ts_text, zoned,
               lower(nullif(trim(lifecycle), '')) AS lifecycle,
               resource, channel,
               line
        FROM (
            SELECT *,
                   CASE WHEN fast IS NOT NULL THEN fast
                        ELSE {parse_sql('t', date_order or 'dmy')} END AS ts,
                   fast IS NOT NULL AS iso,
                   CASE WHEN fast IS NOT NULL THEN fast_zoned ELSE {zoned_sql('t')} END AS zoned
            FROM (SELECT *, {fast_iso_sql('t', 'fast_zoned')} AS fast
                  FROM (SELECT *, {fast_zoned_sql('t')} AS fast_zoned
                        FROM (SELECT * EXCLUDE (timestamp), trim(timestamp) AS t
                              FROM ({source}))))
        )""", params)


# -- checks and the final table -------------------------------------------------

_PROBLEM = """CASE
    WHEN case_id IS NULL THEN 'no case id'
    WHEN activity IS NULL THEN 'no activity'
    WHEN ts IS NULL AND coalesce(ts_text, '') = '' THEN 'no timestamp'
    WHEN ts IS NULL THEN 'timestamp ' || chr(8220) || ts_text || chr(8221) || ' not understood'
END"""


# files.NOT_XML in DuckDB's regular expressions (a CSV or Parquet log can hold anything;
# its text is valid UTF-8, so no surrogates): written as U+FFFD, as files.xml_safe does,
# once here for every output that shows a log's text.
_NOT_XML = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x{fffe}\x{ffff}]"
_SHOWN_TEXT = ("case_id", "activity", "ts_text", "lifecycle", "resource", "channel")


def _make_text_xml_safe(con) -> None:
    # one scan of every row (most logs have none of these), then only the rows that do
    setting = ", ".join(f"{column} = regexp_replace({column}, '{_NOT_XML}', '\ufffd', 'g')"
                        for column in _SHOWN_TEXT)
    joined = ", ".join(f"coalesce({column}, '')" for column in _SHOWN_TEXT)
    con.execute(f"UPDATE staged SET {setting} WHERE regexp_matches(concat({joined}), "
                f"'{_NOT_XML}')")


def _finish(con, path: str, format: str, found, date_order, scratch,
            encoding: str = "UTF-8") -> EventLog:
    _make_text_xml_safe(con)
    order = _slash_order(con, path, date_order)
    # One pass for the time zones, the bad rows and the events; the bad rows are
    # looked at again only when there are some.
    (zoned, zoned_line, naive, naive_line, bad_count, events, cases) = con.execute(
        "SELECT count(*) FILTER (WHERE zoned AND ts IS NOT NULL), "
        "min(line) FILTER (WHERE zoned AND ts IS NOT NULL), "
        "count(*) FILTER (WHERE NOT zoned AND ts IS NOT NULL), "
        "min(line) FILTER (WHERE NOT zoned AND ts IS NOT NULL), "
        "count(*) FILTER (WHERE NOT good), count(*) FILTER (WHERE good), "
        "count(DISTINCT case_id) FILTER (WHERE good) FROM (SELECT *, case_id IS NOT NULL "
        "AND activity IS NOT NULL AND ts IS NOT NULL AS good FROM staged)").fetchone()
    zones = _time_zones(path, zoned, zoned_line, naive, naive_line)
    # Resource and channel are tidied here, when read: measuring never reads them.
    con.execute("CREATE VIEW events AS SELECT case_id, activity, ts, lifecycle, "
                "nullif(trim(resource), '') AS resource, nullif(trim(channel), '') AS channel, "
                "line FROM staged WHERE case_id IS NOT NULL AND activity IS NOT NULL "
                "AND ts IS NOT NULL")
    bad = [BadRow(line, reason) for line, reason in con.execute(
        f"SELECT line, problem FROM (SELECT line, {_PROBLEM} AS problem FROM staged) "
        f"WHERE problem IS NOT NULL ORDER BY line LIMIT {BAD_ROWS_SHOWN + 1}").fetchall()
    ] if bad_count else []
    if format == "csv":
        rejected = con.execute(
            f"SELECT line, error_type FROM rejected ORDER BY line LIMIT {BAD_ROWS_SHOWN + 1}"
        ).fetchall()
        bad_count += con.execute("SELECT count(*) FROM rejected").fetchone()[0]
        bad += [BadRow(line, _reject_reason(kind)) for line, kind in rejected]
        bad.sort(key=lambda b: b.line)
    if events == 0:
        first = f" ({bad[0]})" if bad else ""
        raise EventLogError(path, f"no events in the log: no row has a case id, an activity "
                                  f"and a timestamp{first}")
    return EventLog(
        source=path, format=format, connection=con, events=events, cases=cases,
        bad_rows=bad_count, bad_examples=tuple(bad[:BAD_ROWS_SHOWN]),
        columns=tuple((role, column) for role, column in found.items() if column),
        time_zones=zones, date_order=order, scratch=scratch, encoding=encoding,
    )


def _reject_reason(kind: str) -> str:
    return {
        "TOO MANY COLUMNS": "more fields than the header has columns",
        "MISSING COLUMNS": "fewer fields than the header has columns",
        "INVALID UNICODE": "bytes that are not UTF-8 text",
        "INVALID ENCODING": "bytes that are not UTF-8 text",
        "UNQUOTED VALUE": "a quote inside an unquoted field",
        "LINE SIZE OVER MAXIMUM": "a line too long to be a record",
    }.get(str(kind), f"not a CSV record ({str(kind).lower()})")


def _slash_order(con, path: str, date_order: Optional[str]) -> Optional[str]:
    """The order of slash dates: as asked, else as the data shows (day first when it
    shows nothing); raises when the data shows both."""
    slash = f"regexp_full_match(ts_text, '{SLASH}')"
    day, day_line, month, month_line = con.execute(
        f"SELECT {slash_order_sql('ts_text')} FROM staged WHERE {slash}").fetchone()
    if not day and not month and not con.execute(
            f"SELECT count(*) FROM staged WHERE {slash}").fetchone()[0]:
        return None
    if date_order is not None:
        return date_order
    if day and month:
        raise EventLogError(path, f"dates mix day-first (line {day_line}) and month-first "
                                  f"(line {month_line}) order; export them one way")
    if month:
        con.execute(f"UPDATE staged SET ts = {parse_sql('ts_text', 'mdy')} WHERE {slash}")
        return "mdy"
    return "dmy"


def _time_zones(path: str, zoned: int, zoned_line, naive: int, naive_line) -> str:
    if zoned and naive:
        raise EventLogError(path, f"timestamps mix time zones: line {zoned_line} gives one, "
                                  f"line {naive_line} none; give every timestamp its zone, or "
                                  "none (all read as UTC)")
    return "given" if zoned else "none (read as UTC)"


def _one_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    first = text[0] if text else type(error).__name__
    # DuckDB prefixes its class of error ("Invalid Input Error: ..."): keep the message.
    return first.split("Error: ", 1)[-1]


def write_query_parquet(con, query: str, path) -> None:
    """COPY a query to Parquet through a temporary file and a rename."""
    path = os.path.abspath(os.fspath(path))
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(path) + ".",
                                    suffix=".tmp")
    os.close(handle)
    try:
        temp_sql = temp.replace("'", "''")  # a quote in the folder's name
        con.execute(f"COPY ({query}) TO '{temp_sql}' (FORMAT parquet)")
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
