"""Seeded mutators of event logs (CSV, XES, Parquet) and survey CSVs.

``mutate(rng, data, kind)`` with kind "csv", "xes", "survey" or "parquet" returns the
mutated bytes. CSV and survey mutations work on the rows (structure and values) and
then, now and then, on the bytes (encodings, BOMs, NULs, flips, truncation); XES
mutations work on the text (attributes, values, nesting, DOCTYPEs) and the bytes;
Parquet cases are a CSV log's rows written by DuckDB with odd column types.
Every case stays under about 20 MB (the largest: one ~1 MB field, or tens of
thousands of distinct activities) and is made in well under a second.
Independent of bpmncx.
"""

from __future__ import annotations

import csv
import io
import random
import re
from typing import Callable, List

MAX_BYTES = 20 * 1024 * 1024

TIMESTAMPS = (
    "2024-03-01", "01/03/2024 10:00", "03/01/2024 10:00 PM", "13/01/2024 10:00",
    "01/13/2024 10:00", "2024-03-01T10:00:00+05:30", "2024-03-01T10:00:00Z",
    "2024-03-01 10:00:00.123456789", "1709287200", "1709287200000", "-1709287200",
    "0001-01-01 00:00:00", "9999-12-31 23:59:59", "10000-01-01 00:00", "-0001-01-01",
    "2024-02-30 10:00", "2024-13-01 10:00", "2024-03-01 25:61:61", "NaN", "inf", "-inf",
    "", "  ", "yesterday", "1e308", "-1", "0", "Mon, 01 Mar 2024 10:00:00 GMT",
    "20240301T100000", "2024-W09-5", "1.5", "1/1/1", "31.12.2024 10:00",
    "2024-03-01 10:00:00 CET", "2024-03-01T10:00:00-12:00", "2024-03-01T10:00:00+14:00",
    "2024-03-01T10:00:00+99:99", "2024-03-01 10:00 Europe/Berlin", "2024/03/01 10:00",
    "1.3.2024", "１２０２４-０３-０１", "2024-03-01T10:00:00.5+01", "0000-00-00 00:00:00",
    "292278994-08-17 07:12:55", "2024-03-01\x0010:00", "2038-01-19 03:14:08",
)
ZONES = ("Z", "+00:00", "+05:30", "-12:00", "+14:00", " UTC", " CET", "+0100", "", "", "")
NUMBERS = ("NaN", "inf", "-inf", "1e309", "-1e309", "9" * 400, "-9223372036854775809",
           "18446744073709551616", "-0", "0x1F", "1,5", "1.5e-320", "-5", "999999")
NAMES = (
    "<script>alert(1)</script>", "</svg><svg onload=alert(1)>", "&amp;&lt;&#0;", "]]>",
    "a\x00b", "tab\there", "bell\x07", "esc\x1b[31mred", "del\x7f", "c1\x85\x9f",
    "line\nbreak", "cr\rcr", "\u2028sep", "\u202eevil", "\ufeffbom", "\ud7ff\ue000\ufffe\uffff",
    "😀" * 40, "=cmd|' /C calc'!A0", "+1", "-1", "@SUM(A1)", "Ü" * 300, "   ", "", "null",
    "NULL", "None", "\\N", "Order received", "order RECEIVED ", "Task_1", "${x}", "%s%n",
    "'; DROP TABLE events; --", "\"quoted\"", "a,b;c|d\te", "{{x}}", "\u0301", "x" * 5000,
)
HEADERS = (
    "Fall-ID", "Aktivität", "Zeitstempel", "Ressource", "horodatage", "activité", "cas",
    "actividad", "marca de tiempo", "案例", "活动", "时间戳", "ケースID", "Случай",
    "Activity", "ACTIVITY", "case id", "Case ID", "case:concept:name", "concept:name",
    "time:timestamp", "lifecycle:transition", "org:resource", "channel", "Kanal", "",
    " ", "timestamp", "start_time", "end_time", "event", "id", "case", "activity",
    "score", "rating", "NPS", "CSAT", "CES", "scale", "comment", "step", "element",
)
COMMENTS = NAMES + ("great service!", "slow, very slow", "<b>bold</b>", "a\r\nb", "x" * 70000)
SCALES = ("CSAT", "NPS", "CES", "csat", "nps ", "", "star", "NPS\x00", "10", "Ces")
SCORES = ("1", "5", "0", "10", "7", "11", "-1", "6", "0.5", "4,5", "NaN", "inf", "-inf",
          "1e309", "", "x", "3/5", "100%", "9" * 400, "-0", " 3 ", "١")


# -- CSV as rows -----------------------------------------------------------------------

def _rows(data: bytes) -> List[List[str]]:
    text = data.decode("utf-8-sig", errors="replace")
    return [row for row in csv.reader(io.StringIO(text, newline=""))]


def _text(rows: List[List[str]], delimiter: str = ",", quoting=csv.QUOTE_MINIMAL,
          newline: str = "\n") -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator=newline)
    for row in rows:
        writer.writerow(row)
        if out.tell() > MAX_BYTES // 3:  # many copies of a long field: keep the case small
            break
    return out.getvalue()


def _cell(rng: random.Random, rows: List[List[str]], column=None):
    """(row, column) of a data cell (not the header), or None."""
    if len(rows) < 2:
        return None
    row = rng.randrange(1, len(rows))
    if not rows[row]:
        return None
    col = column if column is not None and column < len(rows[row]) else rng.randrange(len(rows[row]))
    return row, col


def _column(rows: List[List[str]], *names: str) -> int:
    header = [h.strip().casefold() for h in rows[0]] if rows else []
    for name in names:
        if name in header:
            return header.index(name)
    return 0


def odd_timestamps(rng, rows):
    col = _column(rows, "timestamp", "time:timestamp")
    for _ in range(rng.randint(1, 40)):
        spot = _cell(rng, rows, col)
        if spot:
            rows[spot[0]][spot[1]] = rng.choice(TIMESTAMPS)


def all_timestamps(rng, rows):
    """One odd format for the whole column (a log written by another tool)."""
    col = _column(rows, "timestamp")
    style = rng.choice(["slash_dmy", "slash_mdy", "epoch", "epoch_ms", "zones", "far", "date",
                        "t", "dots"])
    for row in rows[1:]:
        if col >= len(row):
            continue
        value = row[col]
        match = re.match(r"(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)", value)
        if not match:
            continue
        y, mo, d, h, mi, s = match.groups()
        if style == "slash_dmy":
            row[col] = f"{d}/{mo}/{y} {h}:{mi}"
        elif style == "slash_mdy":
            row[col] = f"{mo}/{d}/{y} {h}:{mi}:{s}"
        elif style in ("epoch", "epoch_ms"):
            import calendar
            seconds = calendar.timegm((int(y), int(mo), int(d), int(h), int(mi), int(s)))
            row[col] = str(seconds * (1000 if style == "epoch_ms" else 1))
        elif style == "zones":
            row[col] = f"{y}-{mo}-{d}T{h}:{mi}:{s}{rng.choice(ZONES)}"
        elif style == "far":
            row[col] = f"{rng.choice(['0001', '9999', '1970', '2262', '1677'])}-{mo}-{d} {h}:{mi}:{s}"
        elif style == "date":
            row[col] = f"{y}-{mo}-{d}"
        elif style == "t":
            row[col] = f"{y}{mo}{d}T{h}{mi}{s}"
        else:
            row[col] = f"{d}.{mo}.{y} {h}:{mi}"


def odd_names(rng, rows):
    col = _column(rows, rng.choice(["activity", "case_id", "resource", "lifecycle"]))
    for _ in range(rng.randint(1, 20)):
        spot = _cell(rng, rows, col if rng.random() < 0.8 else None)
        if spot:
            rows[spot[0]][spot[1]] = rng.choice(NAMES)


def odd_numbers(rng, rows):
    for _ in range(rng.randint(1, 20)):
        spot = _cell(rng, rows)
        if spot:
            rows[spot[0]][spot[1]] = rng.choice(NUMBERS)


def long_field(rng, rows):
    spot = _cell(rng, rows)
    if spot:
        rows[spot[0]][spot[1]] = rng.choice("xÄ😀<\"") * rng.choice([70_000, 300_000, 1_000_000])


def many_activities(rng, rows):
    """Tens of thousands of distinct activities (or cases, or one case)."""
    if len(rows) < 2:
        return
    template = rows[1]
    col = _column(rows, rng.choice(["activity", "case_id"]))
    count = rng.choice([5_000, 30_000, 100_000])
    rows.extend([template[:col] + [f"{template[col] if col < len(template) else ''} {n}"]
                 + template[col + 1:] for n in range(count)])


def one_case(rng, rows):
    col = _column(rows, "case_id")
    for row in rows[1:]:
        if col < len(row):
            row[col] = "same"


def drop_column(rng, rows):
    if rows and rows[0]:
        col = rng.randrange(len(rows[0]))
        for row in rows:
            if col < len(row):
                del row[col]


def extra_column(rng, rows):
    name = rng.choice(HEADERS)
    for index, row in enumerate(rows):
        row.insert(rng.randrange(len(row) + 1) if index == 0 else len(row), name if index == 0
                   else rng.choice(NAMES + TIMESTAMPS))


def duplicate_column(rng, rows):
    if rows and rows[0]:
        col = rng.randrange(len(rows[0]))
        for row in rows:
            if col < len(row):
                row.append(row[col])


def rename_headers(rng, rows):
    if not rows:
        return
    for col in range(len(rows[0])):
        if rng.random() < 0.5:
            rows[0][col] = rng.choice(HEADERS)


def shuffle_columns(rng, rows):
    if not rows or not rows[0]:
        return
    order = list(range(len(rows[0])))
    rng.shuffle(order)
    for index, row in enumerate(rows):
        if len(row) == len(order):
            rows[index] = [row[i] for i in order]


def no_header(rng, rows):
    if rows:
        del rows[0]


def ragged_rows(rng, rows):
    for _ in range(rng.randint(1, 30)):
        if len(rows) < 2:
            return
        row = rows[rng.randrange(len(rows))]
        if rng.random() < 0.5 and row:
            del row[rng.randrange(len(row)):]
        else:
            row.extend(rng.choice(NAMES) for _ in range(rng.randint(1, 50)))


def empty_rows(rng, rows):
    for _ in range(rng.randint(1, 30)):
        rows.insert(rng.randrange(len(rows) + 1), rng.choice([[], [""], ["", "", ""], [" "]]))


def duplicate_rows(rng, rows):
    if len(rows) > 1:
        start = rng.randrange(1, len(rows))
        rows[start:start] = rows[start:start + rng.randint(1, 200)] * rng.randint(1, 5)


def cut_rows(rng, rows):
    keep = rng.choice([0, 1, 2, 3])
    del rows[keep:]


def sort_rows(rng, rows):
    body = rows[1:]
    rng.shuffle(body)
    rows[1:] = body


ROW_MUTATORS: List[Callable] = [
    odd_timestamps, odd_timestamps, all_timestamps, all_timestamps, odd_names, odd_names,
    odd_numbers, long_field, many_activities, one_case, drop_column, extra_column,
    duplicate_column, rename_headers, shuffle_columns, no_header, ragged_rows, empty_rows,
    duplicate_rows, cut_rows, sort_rows,
]


def _serialise(rng: random.Random, rows: List[List[str]]) -> str:
    delimiter = rng.choice([",", ",", ",", ";", "|", "\t"])
    quoting = rng.choice([csv.QUOTE_MINIMAL, csv.QUOTE_MINIMAL, csv.QUOTE_ALL,
                          csv.QUOTE_NONNUMERIC])
    newline = rng.choice(["\n", "\n", "\r\n", "\r"])
    try:
        return _text(rows, delimiter, quoting, newline)
    except (csv.Error, ValueError):
        return _text(rows)


# -- bytes ---------------------------------------------------------------------------

def _encode(rng: random.Random, text: str) -> bytes:
    choice = rng.random()
    if choice < 0.75:
        return text.encode("utf-8", "surrogatepass")
    encoding = rng.choice(["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32",
                           "latin-1", "cp1252", "shift_jis", "gb18030"])
    return text.encode(encoding, "replace")


def flip_bytes(rng, data: bytes) -> bytes:
    raw = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        if raw:
            raw[rng.randrange(len(raw))] = rng.randrange(256)
    return bytes(raw)


def truncate(rng, data: bytes) -> bytes:
    return data[:rng.randrange(len(data) + 1)]


def nuls(rng, data: bytes) -> bytes:
    raw = bytearray(data)
    for _ in range(rng.randint(1, 10)):
        raw[rng.randrange(len(raw) + 1):0] = b"\x00" * rng.choice([1, 1, 4, 1000])
    return bytes(raw)


def boms(rng, data: bytes) -> bytes:
    bom = rng.choice([b"\xef\xbb\xbf", b"\xef\xbb\xbf\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff",
                      b"\x00\x00\xfe\xff", b"\xef\xbb"])
    return bom + data


def invalid_utf8(rng, data: bytes) -> bytes:
    raw = bytearray(data)
    for _ in range(rng.randint(1, 5)):
        raw[rng.randrange(len(raw) + 1):0] = rng.choice([b"\xff", b"\xc3", b"\xed\xa0\x80",
                                                         b"\xe9t\xe9", b"\xf4\x90\x80\x80"])
    return bytes(raw)


def unbalanced_quote(rng, data: bytes) -> bytes:
    raw = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        raw[rng.randrange(len(raw) + 1):0] = rng.choice([b'"', b'"""', b"'", b'"\n'])
    return bytes(raw)


BYTE_MUTATORS: List[Callable] = [flip_bytes, truncate, nuls, boms, invalid_utf8,
                                 unbalanced_quote, unbalanced_quote]


def _bounded(data: bytes) -> bytes:
    return data[:MAX_BYTES]


def _mutate_rows(rng: random.Random, data: bytes, mutators, byte_chance: float) -> bytes:
    """One to three row mutations, written out in a drawn encoding, then now and then a
    byte-level one."""
    rows = _rows(data)
    for _ in range(rng.randint(1, 3)):
        rng.choice(mutators)(rng, rows)
    raw = _encode(rng, _serialise(rng, rows))
    if rng.random() < byte_chance:
        raw = rng.choice(BYTE_MUTATORS)(rng, raw)
    return _bounded(raw)


def mutate_csv(rng: random.Random, data: bytes) -> bytes:
    return _mutate_rows(rng, data, ROW_MUTATORS, 0.3)


# -- surveys -------------------------------------------------------------------------

def survey_seed(rng: random.Random, log: bytes) -> bytes:
    """A plausible survey for a sample log: scores by case, step number and activity."""
    rows = _rows(log)
    cases = sorted({r[0] for r in rows[1:] if r})[:200] or ["case-01"]
    activities = sorted({r[1] for r in rows[1:] if len(r) > 1})[:50] or ["Order received"]
    out = [["case id", "step", "element", "score", "scale", "comment"]]
    for _ in range(rng.randint(5, 300)):
        scale = rng.choice(["CSAT", "NPS", "CES"])
        low, high = {"CSAT": (1, 5), "NPS": (0, 10), "CES": (1, 7)}[scale]
        where = rng.random()
        out.append([rng.choice(cases) if where < 0.5 else "",
                    str(rng.randint(1, 8)) if 0.5 <= where < 0.7 else "",
                    rng.choice(activities) if where >= 0.7 else "",
                    str(rng.randint(low, high)), scale, rng.choice(["", "ok", "slow"])])
    return _text(out).encode("utf-8")


def survey_values(rng, rows):
    header = [h.casefold() for h in rows[0]] if rows else []
    for _ in range(rng.randint(1, 30)):
        spot = _cell(rng, rows)
        if not spot:
            return
        row, col = spot
        name = header[col] if col < len(header) else ""
        pool = {"score": SCORES, "scale": SCALES, "comment": COMMENTS}.get(name, NAMES + SCORES)
        rows[row][col] = rng.choice(pool)


def survey_headers(rng, rows):
    if rows:
        for col in range(len(rows[0])):
            if rng.random() < 0.4:
                rows[0][col] = rng.choice(HEADERS)


def survey_many(rng, rows):
    if len(rows) > 1:
        rows.extend(list(rows[1 + n % (len(rows) - 1)]) for n in range(rng.choice([10_000, 100_000])))


SURVEY_MUTATORS: List[Callable] = [survey_values, survey_values, survey_values, survey_headers,
                                   survey_many, drop_column, extra_column, duplicate_column,
                                   no_header, ragged_rows, empty_rows, long_field, cut_rows]


def mutate_survey(rng: random.Random, data: bytes) -> bytes:
    return _mutate_rows(rng, data, SURVEY_MUTATORS, 0.25)


# -- XES -------------------------------------------------------------------------------

_ATTRIBUTE = re.compile(rb'<(string|date|int|float|boolean|id) key="([^"]*)" value="([^"]*)"/>')


def _escape(text: str) -> bytes:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
            .encode("utf-8", "surrogatepass"))


def xes_values(rng, data: bytes) -> bytes:
    """Some attributes' values: odd timestamps, markup and control characters (escaped,
    as character references, or raw), numbers."""
    spots = [m for m, _ in zip(_ATTRIBUTE.finditer(data), range(20000))]
    if not spots:
        return data
    chosen = sorted(rng.sample(spots, min(len(spots), rng.randint(1, 40))), key=lambda m: m.start())
    out, last = [], 0
    for match in chosen:
        kind, key = match.group(1), match.group(2)
        if kind == b"date" or rng.random() < 0.2:
            value = _escape(rng.choice(TIMESTAMPS).replace("\x00", ""))
        elif rng.random() < 0.3:
            value = rng.choice([b"&#1;", b"&#0;", b"&#xFFFE;", b"&#x1F600;", b"&#xD800;",
                                b"\x01raw", b"a&b", b"<", b"&lt;b&gt;", b"&#10;x&#13;"])
        else:
            value = _escape(rng.choice(NAMES + NUMBERS))
        out += [data[last:match.start()],
                b"<" + rng.choice([kind, kind, b"int", b"float", b"boolean", b"date", b"list"])
                + b' key="' + (key if rng.random() < 0.8 else _escape(rng.choice(HEADERS)))
                + b'" value="' + value + b'"/>']
        last = match.end()
    out.append(data[last:])
    return b"".join(out)


def xes_drop_attributes(rng, data: bytes) -> bytes:
    key = rng.choice([b"concept:name", b"time:timestamp", b"lifecycle:transition", b"org:resource"])
    probability = rng.choice([0.05, 0.5, 1.0])
    return re.sub(rb'<[a-z]+ key="' + re.escape(key) + rb'" value="[^"]*"/>',
                  lambda m: b"" if rng.random() < probability else m.group(0), data)


def xes_attribute_shapes(rng, data: bytes) -> bytes:
    """Attributes without value or key, duplicated, nested, or with children."""
    forms = [b'<string key="concept:name"/>', b'<string value="x"/>', b"<string/>",
             b'<string key="concept:name" value="a" value2="b"/>',
             b'<string key="concept:name" value="x"><string key="concept:name" value="y"/></string>',
             b'<date key="time:timestamp" value="2024-03-01T10:00:00Z"/>' * 3,
             b'<list key="l"><values><string key="concept:name" value="in list"/></values></list>',
             b'<container key="c"><string key="concept:name" value="in container"/></container>',
             b'<string key="channel" value="web"/>', b'<string key="cx:channel" value="&lt;x&gt;"/>',
             b"<!-- comment --><?pi x?><![CDATA[<event/>]]>"]
    positions = [m.end() for m, _ in zip(re.finditer(rb"<event>|<trace>", data), range(20000))]
    if not positions:
        return data
    for position in sorted(rng.sample(positions, min(len(positions), rng.randint(1, 20))),
                           reverse=True):
        data = data[:position] + rng.choice(forms) + data[position:]
    return data


def xes_structure(rng, data: bytes) -> bytes:
    choice = rng.randrange(9)
    if choice == 0:  # events outside traces
        return data.replace(b"<trace>", b"", rng.randint(1, 50))
    if choice == 1:  # traces without end
        return data.replace(b"</trace>", b"", rng.randint(1, 50))
    if choice == 2:  # an event inside an event
        return data.replace(b"</event>\n    <event>", b"\n    <event>", rng.randint(1, 50))
    if choice == 3:  # the root renamed, or namespaced differently
        return data.replace(b"<log ", rng.choice([b"<logs ", b"<x:log xmlns:x='urn:x' ",
                                                  b"<log xmlns:xes='urn:other' "]), 1)
    if choice == 4:  # only the head
        return data[:data.find(b"<trace>")] + b"</log>\n"
    if choice == 5:  # traces inside traces
        return data.replace(b"</trace>\n  <trace>", b"\n  <trace>", rng.randint(1, 50)) \
            .replace(b"</log>", b"</trace>" * 50 + b"</log>")
    if choice == 6:  # two roots
        return data + data[data.find(b"<log"):]
    if choice == 7:  # many traces
        start, end = data.find(b"<trace>"), data.find(b"</trace>") + len(b"</trace>")
        if start < 0 or end < start:
            return data
        trace = data[start:end]
        return data.replace(b"</log>", b"\n".join(trace.replace(b'value="case-', b'value="m%d-' % n, 1)
                                                  for n in range(rng.choice([1000, 20000])))
                            + b"</log>")
    return re.sub(rb'(<string key="concept:name" value=")([^"]*)(")', lambda m: m.group(1)
                  + m.group(2) + b" %d" % rng.randrange(100000) + m.group(3), data)


def xes_deep(rng, data: bytes) -> bytes:
    depth = rng.choice([100, 257, 300, 5000, 100_000])
    tag = rng.choice([b"event", b"trace", b"list", b"string", b"x"])
    nest = b"<" + tag + b">"
    position = data.find(b"<trace>")
    if position < 0:
        position = len(data) // 2
    return data[:position] + nest * depth + (b"</" + tag + b">") * depth + data[position:]


def xes_huge_string(rng, data: bytes) -> bytes:
    size = rng.choice([100_000, 1_000_000, 11_000_000])
    value = rng.choice([b"x", b"&lt;", b"\xc3\xa4"]) * (size // 3 if size > 5_000_000 else size)
    position = data.find(b'value="', rng.randrange(max(len(data), 1)))
    if position < 0:
        position = data.find(b'value="')
    if position < 0:
        return data
    position += len(b'value="')
    return data[:position] + value + data[position:]


DOCTYPES = (
    b'<!DOCTYPE log [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
    b'<!DOCTYPE log [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    b'<!DOCTYPE log SYSTEM "http://example.invalid/xes.dtd">',
    b'<!DOCTYPE log PUBLIC "-//X//DTD X//EN" "x.dtd">',
    b"<!DOCTYPE log [<!ELEMENT log ANY>]>",
    b'<!DOCTYPE log [<!ENTITY % p SYSTEM "http://example.invalid/p.dtd"> %p;]>',
    b"<!DOCTYPE log>",
)


def xes_doctype(rng, data: bytes) -> bytes:
    declaration = rng.choice(DOCTYPES)
    position = data.find(b"?>")
    position = position + 2 if position >= 0 else 0
    data = data[:position] + b"\n" + declaration + data[position:]
    if b"ENTITY" in declaration and rng.random() < 0.7:
        name = b"x" if b"ENTITY x" in declaration else b"d"
        data = data.replace(b'value="case-01"', b'value="&' + name + b';"', 1)
    return data


def xes_declaration(rng, data: bytes) -> bytes:
    declaration = rng.choice([b'<?xml version="1.0" encoding="UTF-16"?>',
                              b'<?xml version="1.0" encoding="ISO-8859-1"?>',
                              b'<?xml version="1.1" encoding="UTF-8"?>',
                              b'<?xml version="2.0"?>', b'<?xml encoding="x-unknown"?>', b""])
    end = data.find(b"?>")
    return declaration + (data[end + 2:] if end >= 0 else data)


def xes_reencode(rng, data: bytes) -> bytes:
    text = data.decode("utf-8", "replace")
    encoding = rng.choice(["utf-16", "utf-16-le", "latin-1", "utf-32"])
    return text.replace('encoding="UTF-8"', f'encoding="{encoding}"'
                        if rng.random() < 0.5 else 'encoding="UTF-8"').encode(encoding, "replace")


XES_MUTATORS: List[Callable] = [
    xes_values, xes_values, xes_drop_attributes, xes_attribute_shapes, xes_structure,
    xes_structure, xes_deep, xes_huge_string, xes_doctype, xes_declaration, xes_reencode,
    flip_bytes, truncate, nuls, boms, invalid_utf8,
]


def mutate_xes(rng: random.Random, data: bytes) -> bytes:
    for _ in range(rng.randint(1, 2)):
        data = rng.choice(XES_MUTATORS)(rng, data)
    return _bounded(data)


# -- Parquet (the seed CSV's rows written by DuckDB with odd column types) ----------------

# What the timestamp column becomes (SQL over the text column, {c}).
PARQUET_TIMES = (
    "{c}", "try_cast({c} AS TIMESTAMP)", "try_cast({c} AS TIMESTAMPTZ)", "try_cast({c} AS DATE)",
    "epoch(try_cast({c} AS TIMESTAMP))::BIGINT", "epoch_ms(try_cast({c} AS TIMESTAMP))",
    "epoch(try_cast({c} AS TIMESTAMP))::DOUBLE", "try_cast({c} AS TIMESTAMP)::TIME",
    "[{c}]", "{{'at': {c}}}", "{c}::BLOB", "NULL::TIMESTAMP", "try_cast({c} AS TIMESTAMP_NS)",
    "try_cast({c} AS TIMESTAMP) + INTERVAL 3000 YEAR", "'infinity'::TIMESTAMP",
    "try_cast({c} AS TIMESTAMP)::VARCHAR || '+05:30'", "length({c})::HUGEINT",
)
# What another column becomes.
PARQUET_VALUES = ("try_cast({c} AS INTEGER)", "[{c}, {c}]", "{c}::BLOB", "NULL::VARCHAR",
                  "{{'x': {c}}}", "length({c})::DOUBLE / 0", "map([{c}], [1])",
                  "{c} || chr(0)", "{c} || chr(7) || '<b>'", "try_cast({c} AS UUID)", "true")


def mutate_parquet(rng: random.Random, data: bytes) -> bytes:
    """The seed CSV's rows (values mutated now and then) written as Parquet by DuckDB
    with odd column types and compressions; its bytes damaged now and then."""
    import os
    import tempfile

    import duckdb

    rows = _rows(data)
    for _ in range(rng.randint(0, 2)):
        rng.choice([odd_names, odd_timestamps, odd_numbers, many_activities, one_case,
                    all_timestamps])(rng, rows)
    header = rows[0] if rows else []
    with tempfile.TemporaryDirectory(prefix="fuzz-parquet-") as folder:
        source, target = os.path.join(folder, "in.csv"), os.path.join(folder, "out.parquet")
        with open(source, "w", encoding="utf-8", errors="replace", newline="") as out:
            out.write(_text(rows))
        names = _names(header)
        columns = []
        for name in names:
            quoted = '"' + name.replace('"', '""') + '"'
            if name.strip().casefold() == "timestamp":
                expression = rng.choice(PARQUET_TIMES)
            else:
                expression = rng.choice(PARQUET_VALUES) if rng.random() < 0.15 else "{c}"
            columns.append(expression.format(c=quoted) + f" AS {quoted}")
        compression = rng.choice(["snappy", "zstd", "uncompressed", "gzip"])
        struct = "{" + ", ".join("'" + n.replace("'", "''") + "': 'VARCHAR'" for n in names) + "}"
        con = duckdb.connect(":memory:")
        try:
            con.execute("SET threads = 1")
            try:
                con.execute(f"COPY (SELECT {', '.join(columns)} FROM read_csv(?, header=true, "
                            f"auto_detect=false, delim=',', quote='\"', escape='\"', "
                            f"columns={struct}, null_padding=true, ignore_errors=true)) "
                            f"TO '{target}' (FORMAT parquet, COMPRESSION {compression}, "
                            f"ROW_GROUP_SIZE {rng.choice([1, 100, 122880])})", [source])
            except duckdb.Error:
                con.execute(f"COPY (SELECT 1 AS case_id) TO '{target}' (FORMAT parquet)")
        finally:
            con.close()
        with open(target, "rb") as made:
            raw = made.read()
    if rng.random() < 0.25:
        raw = rng.choice([flip_bytes, truncate, nuls])(rng, raw)
    return _bounded(raw)


def _names(header: List[str]) -> List[str]:
    """The header's names, made distinct and non-empty (read_csv's columns)."""
    names: List[str] = []
    for index, name in enumerate(header or ["x"]):
        names.append(name if name and name not in names else f"{name}_{index}")
    return names


def mutate(rng: random.Random, data: bytes, kind: str) -> bytes:
    """One to three mutations of a log or survey of ``kind`` ("csv", "xes", "survey",
    "parquet": a CSV log's rows written as Parquet)."""
    if kind == "csv":
        return mutate_csv(rng, data)
    if kind == "xes":
        return mutate_xes(rng, data)
    if kind == "survey":
        return mutate_survey(rng, data)
    if kind == "parquet":
        return mutate_parquet(rng, data)
    raise ValueError(f"kind must be csv, xes, survey or parquet, not {kind!r}")
