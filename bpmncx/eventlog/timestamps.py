"""Timestamps as people export them, read in SQL so DuckDB does it for every row at once.

Understood (all as one instant, TIMESTAMPTZ in UTC):

- ISO 8601, date and time separated by ``T`` or a space, seconds and fractions
  optional, with an offset (``Z``, ``+02:00``, ``+0200``, also after a space) or a
  zone name (``Europe/Berlin``) or without (read as UTC);
- spreadsheet dates ``01/03/2024 14:05[:00]``, ``1.3.2024 14:05``, ``01-03-2024``,
  with an optional ``AM``/``PM``: dots and dashes are day first; slashes are day
  first unless the column shows otherwise (a first number above 12 anywhere means
  day first, a second number above 12 means month first; both is an error) or the
  caller says ``date_order="mdy"``; read as UTC;
- Excel serial numbers (days since 1899-12-30, the fraction is the time of day)
  from 20000 to 80000, i.e. 1954 to 2119; any other bare number is not a time.
"""

from __future__ import annotations

DATE_ORDERS = ("dmy", "mdy")

# Patterns (DuckDB regexp_full_match, RE2 syntax).
ISO = r"\d{4}-\d{1,2}-\d{1,2}([T ]\d{1,2}:\d{2}.*)?"
ZONE_SUFFIX = r".*\d:\d{2}(:\d{2}(\.\d+)?)?(\s*(Z|z|[+-]\d{2}(:?\d{2})?)|\s+[A-Za-z]+(/[A-Za-z_+-]+)+|\s*UTC)"
SPREADSHEET = (r"\d{1,2}[./-]\d{1,2}[./-]\d{4}"
               r"(\s+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(\s*[AaPp][Mm])?)?")
SLASH = r"\d{1,2}/\d{1,2}/\d{4}.*"
SERIAL = r"\d{5}(\.\d+)?"

_TIMES = ("%H:%M:%S.%f", "%H:%M:%S", "%H:%M", "%I:%M:%S %p", "%I:%M %p")


def _formats(order: str):
    date = "%d/%m/%Y" if order == "dmy" else "%m/%d/%Y"
    return [date + " " + t for t in _TIMES] + [date]


def _sql_list(items) -> str:
    return "[" + ", ".join("'" + i + "'" for i in items) + "]"


def parse_sql(text: str, slash_order: str = "dmy") -> str:
    """A SQL expression: the TIMESTAMPTZ ``text`` (a trimmed VARCHAR expression)
    means, NULL when it is not understood. The session time zone must be UTC."""
    # A space before the offset is common in exports; DuckDB's cast wants none.
    iso = (f"TRY_CAST(regexp_replace({text}, '\\s+([+-]\\d{{2}}:?\\d{{2}}|Z)$', '\\1') "
           "AS TIMESTAMPTZ)")
    # One separator and single spaces, so that one list of formats fits all.
    normal = (f"regexp_replace(regexp_replace(regexp_replace({text}, "
              r"'^(\d{1,2})[./-](\d{1,2})[./-](\d{4})', '\1/\2/\3'), '\s+', ' ', 'g'), "
              r"' ?([AaPp][Mm])$', ' \1')")
    slash = f"try_strptime({normal}, {_sql_list(_formats(slash_order))})::TIMESTAMPTZ"
    day_first = f"try_strptime({normal}, {_sql_list(_formats('dmy'))})::TIMESTAMPTZ"
    serial = (f"make_timestamp(CAST(round((TRY_CAST({text} AS DOUBLE) - 25569) "
              "* 86400000000) AS BIGINT))::TIMESTAMPTZ")
    return (
        f"CASE WHEN regexp_full_match({text}, '{ISO}') THEN {iso} "
        f"WHEN regexp_full_match({text}, '{SPREADSHEET}') THEN "
        f"(CASE WHEN regexp_full_match({text}, '{SLASH}') THEN {slash} ELSE {day_first} END) "
        f"WHEN regexp_full_match({text}, '{SERIAL}') "
        f"AND TRY_CAST({text} AS DOUBLE) BETWEEN 20000 AND 80000 THEN {serial} "
        "END"
    )


def zoned_sql(text: str) -> str:
    """A SQL expression: whether the text carries its own time zone."""
    return f"regexp_full_match({text}, '{ZONE_SUFFIX}')"


def slash_order_sql(text: str) -> str:
    """SQL aggregates over slash dates: (rows only day-first can read, rows only
    month-first can read), with the first line of each."""
    first = f"TRY_CAST(regexp_extract({text}, '^(\\d{{1,2}})/', 1) AS INTEGER)"
    second = f"TRY_CAST(regexp_extract({text}, '^\\d{{1,2}}/(\\d{{1,2}})/', 1) AS INTEGER)"
    return (f"count(*) FILTER (WHERE {first} > 12), min(line) FILTER (WHERE {first} > 12), "
            f"count(*) FILTER (WHERE {second} > 12), min(line) FILTER (WHERE {second} > 12)")


def fast_iso_sql(text: str, zoned: str) -> str:
    """SQL: the instant of an ISO 8601 text by DuckDB's own cast (no regular
    expression: the common case of machine exports stays fast), else NULL.
    Only texts starting ``YYYY-`` are cast: the cast also knows words such as
    ``epoch`` and ``infinity``, which are no event's time. ``zoned`` is SQL
    saying whether the text has a zone (:func:`fast_zoned_sql`); one without is
    read as a plain timestamp taken as UTC, three times cheaper than the cast to
    TIMESTAMPTZ, which goes through the time zone library."""
    return (f"CASE WHEN substr({text}, 5, 1) = '-' THEN CASE WHEN {zoned} "
            f"THEN TRY_CAST({text} AS TIMESTAMPTZ) "
            f"ELSE make_timestamptz(epoch_us(TRY_CAST({text} AS TIMESTAMP))) END END")


def fast_zoned_sql(text: str) -> str:
    """SQL: whether an ISO 8601 text the cast read carries a zone: a '+', a third
    '-' (a negative offset) or a last character that is no digit (Z, UTC, a zone
    name: whatever follows the time ends the text). Plain string tests: far
    cheaper than a regular expression over millions of rows."""
    return (f"(contains({text}, '+') OR length({text}) - length(replace({text}, '-', '')) > 2 "
            f"OR NOT (right({text}, 1) BETWEEN '0' AND '9'))")
