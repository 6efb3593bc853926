"""Malformed event logs: one-line errors naming the file (and line), or counted bad rows."""

import pytest

from bpmncx.errors import EventLogError
from bpmncx.eventlog import load_log


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def _error(path, **options):
    with pytest.raises(EventLogError) as caught:
        load_log(path, **options)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_an_empty_file(tmp_path):
    path = _write(tmp_path, "log.csv", b"")
    assert _error(path) == f"{path}: file is empty, not an event log"


def test_a_missing_file(tmp_path):
    path = tmp_path / "nope.csv"
    assert _error(path) == f"{path}: cannot read file: No such file or directory"


def test_missing_columns_name_the_option(tmp_path):
    path = _write(tmp_path, "log.csv", "Order;Step;Comment\n1;A;x\n")
    assert _error(path) == (f"{path}: no timestamp column (columns: Order, Step, Comment); "
                            "name it with --time-column")
    assert _error(path, columns={"timestamp": "When"}) == (
        f"{path}: no column 'When' for the timestamp (columns: Order, Step, Comment)")


def test_columns_named_on_the_command_line(tmp_path):
    path = _write(tmp_path, "log.csv", "Vorgang|Tätigkeit|Zeitpunkt\nA-1|Prüfen|2024-03-01 10:00\n")
    with load_log(path, columns={"case_id": "vorgang", "activity": "Tätigkeit",
                                 "timestamp": "ZEITPUNKT"}) as log:
        assert (log.events, log.columns[0]) == (1, ("case_id", "Vorgang"))


def test_a_header_without_rows(tmp_path):
    path = _write(tmp_path, "log.csv", "case,activity,timestamp\n")
    assert _error(path) == (f"{path}: no events in the log: no row has a case id, an activity "
                            "and a timestamp")


def test_unparseable_timestamps_are_counted_bad_rows(tmp_path):
    rows = ["case,activity,timestamp", "1,A,2024-03-01 10:00"]
    rows += [f"1,B,yesterday {n}" for n in range(7)]
    rows += ["2,,2024-03-01 10:00", ",C,2024-03-01 10:00", "2,D,", "2,E,2024-03-01 11:00,extra"]
    path = _write(tmp_path, "log.csv", "\n".join(rows) + "\n")
    with load_log(path) as log:
        assert (log.events, log.bad_rows) == (1, 11)
        assert log.bad_rows_message() == (
            f"{path}: 11 rows skipped (line 3: timestamp \u201cyesterday 0\u201d not understood; "
            "line 4: timestamp \u201cyesterday 1\u201d not understood; "
            "line 5: timestamp \u201cyesterday 2\u201d not understood; "
            "line 6: timestamp \u201cyesterday 3\u201d not understood; "
            "line 7: timestamp \u201cyesterday 4\u201d not understood; and 6 more)")
        lines = {b.line: b.reason for b in log.bad_examples}
        assert set(lines) == {3, 4, 5, 6, 7}
    # The rows after a record DuckDB rejects keep their own line numbers.
    path = _write(tmp_path, "shifted.csv", "case,activity,timestamp\n1,A,x,y\n1,B,bad\n")
    with pytest.raises(EventLogError, match=r"line 2: more fields than the header has columns"):
        load_log(path)
    path = _write(tmp_path, "shifted2.csv",
                  "case,activity,timestamp\n1,A,x,y\n1,B,bad\n1,C,2024-01-01\n")
    with load_log(path) as log:
        assert [str(b) for b in log.bad_examples] == [
            "line 2: more fields than the header has columns",
            "line 3: timestamp \u201cbad\u201d not understood"]
        assert log.connection.execute("SELECT line FROM events").fetchall() == [(4,)]


def test_mixed_time_zones_are_an_error(tmp_path):
    path = _write(tmp_path, "log.csv", "case,activity,timestamp\n"
                                       "1,A,2024-03-01T10:00:00+01:00\n"
                                       "1,B,2024-03-01 11:00\n")
    assert _error(path) == (f"{path}: timestamps mix time zones: line 2 gives one, line 3 "
                            "none; give every timestamp its zone, or none (all read as UTC)")


def test_time_zones_and_spreadsheet_formats(tmp_path):
    path = _write(tmp_path, "log.csv", "case;activity;timestamp\n"
                                       "1;A;2024-03-01T10:00:00+01:00\n"
                                       "1;B;2024-03-01 10:00:00 -02:00\n"
                                       "1;C;2024-03-01T09:00:00Z\n")
    with load_log(path) as log:
        hours = log.connection.execute(
            "SELECT activity, strftime(ts, '%H:%M') FROM events ORDER BY line").fetchall()
        assert hours == [("A", "09:00"), ("B", "12:00"), ("C", "09:00")]
        assert log.time_zones == "given"
    path = _write(tmp_path, "sheet.csv", "case\tactivity\ttimestamp\n"
                                         "1\tA\t01/03/2024 14:05:00\n"
                                         "1\tB\t2.3.2024 8:00\n"
                                         "1\tC\t45352.5\n"
                                         "1\tD\t2024-03-01 14:05\n"
                                         "1\tE\t03/01/2024 2:05 PM\n")
    with load_log(path) as log:
        got = log.connection.execute(
            "SELECT strftime(ts, '%Y-%m-%d %H:%M') FROM events ORDER BY line").fetchall()
        assert [g[0] for g in got] == ["2024-03-01 14:05", "2024-03-02 08:00",
                                       "2024-03-01 12:00", "2024-03-01 14:05",
                                       "2024-01-03 14:05"]
        assert (log.time_zones, log.date_order) == ("none (read as UTC)", "dmy")


def test_month_first_dates_are_recognised_or_conflict(tmp_path):
    path = _write(tmp_path, "us.csv", "case,activity,timestamp\n1,A,03/01/2024 10:00\n"
                                      "1,B,03/25/2024 10:00\n")
    with load_log(path) as log:
        assert log.date_order == "mdy"
        got = log.connection.execute("SELECT strftime(ts, '%Y-%m-%d') FROM events "
                                     "ORDER BY line").fetchall()
        assert got == [("2024-03-01",), ("2024-03-25",)]
    path = _write(tmp_path, "both.csv", "case,activity,timestamp\n1,A,25/03/2024 10:00\n"
                                        "1,B,03/25/2024 10:00\n")
    assert _error(path) == (f"{path}: dates mix day-first (line 2) and month-first (line 3) "
                            "order; export them one way")
    with load_log(path, date_order="dmy") as log:
        assert (log.events, log.bad_rows) == (1, 1)


def test_an_xes_entity_bomb_is_refused_quickly(tmp_path):
    laughs = "".join(f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10 if i else "lol"}">'
                     for i in range(10))
    path = _write(tmp_path, "bomb.xes",
                  f'<?xml version="1.0"?><!DOCTYPE log [{laughs}]>'
                  '<log><trace><string key="concept:name" value="&l9;"/></trace></log>')
    message = _error(path)
    assert message.startswith(f"{path}")
    assert "refused: the file" in message and "XES logs never need them" in message


def test_an_xes_doctype_with_entities_is_refused(tmp_path):
    path = _write(tmp_path, "dtd.xes", '<?xml version="1.0"?><!DOCTYPE log [<!ENTITY x "y">]>'
                                       "<log><trace/></log>")
    assert _error(path) == (f"{path}: refused: the file declares XML entities in a DOCTYPE "
                            "(entity expansion attack?); XES logs never need them")


def test_broken_and_foreign_xml(tmp_path):
    path = _write(tmp_path, "broken.xes", '<log><trace><event></trace></log>')
    assert _error(path).startswith(f"{path}, line 1: not well-formed XML: ")
    path = _write(tmp_path, "bpmn.xes", '<definitions/>')
    assert _error(path) == (f"{path}, line 1: not an XES event log: the root element is "
                            "<definitions>, not <log>")


def test_xes_events_without_case_or_time_are_counted(tmp_path):
    path = _write(tmp_path, "log.xes", """<log xmlns="http://www.xes-standard.org/">
<trace><string key="concept:name" value="c1"/>
<event><string key="concept:name" value="A"/><date key="time:timestamp" value="2024-03-01T10:00:00.000+01:00"/></event>
<event><string key="concept:name" value="B"/></event>
</trace>
<trace>
<event><string key="concept:name" value="C"/><date key="time:timestamp" value="2024-03-01T10:00:00Z"/></event>
</trace>
</log>""")
    with load_log(path) as log:
        assert (log.events, log.cases, log.bad_rows) == (1, 1, 2)
        assert [str(b) for b in log.bad_examples] == ["line 4: no timestamp",
                                                      "line 7: no case id"]


def test_a_workbook_given_as_the_log(tmp_path):
    path = _write(tmp_path, "log.xlsx", b"PK\x03\x04rest")
    assert _error(path) == (f"{path}: this is a zip file (an Excel workbook?), not an event "
                            "log; export the log as CSV, Parquet or XES")


def test_file_names_with_glob_characters(tmp_path):
    path = _write(tmp_path, "log[1]*.csv", "case,activity,timestamp\n1,A,2024-03-01\n")
    _write(tmp_path, "log1-other.csv", "case,activity,timestamp\n9,Z,2024-03-01\n")
    with load_log(path) as log:
        assert log.activities() == [("A", 1, 1)]


def test_not_utf8_rows_after_a_utf8_start_are_counted(tmp_path):
    # the encoding is judged from the first megabyte: a bad byte after it is a bad row
    rows = b"".join(b"1,A%d,2024-03-01\n" % n for n in range(70000))
    assert len(rows) > 1 << 20
    path = _write(tmp_path, "log.csv", b"case,activity,timestamp\n" + rows
                  + b"1,Pr\xfcfen,2024-03-02\n")
    with load_log(path) as log:
        assert (log.encoding, log.events, log.bad_rows) == ("UTF-8", 70000, 1)
        assert str(log.bad_examples[0]) == "line 70002: bytes that are not UTF-8 text"


def test_control_characters_in_a_log_reach_every_output_as_a_replacement_character(tmp_path):
    """A CSV can hold bytes XML cannot: the HTML report ended in an internal error."""
    import subprocess
    import sys

    from conftest import SAMPLES
    from lxml import etree, html

    order = SAMPLES / "online-order"
    log = _write(tmp_path, "log.csv", "case,activity,timestamp,resource\n"
                 "c1,Odd\x01\x1b[31mstep,2024-03-01 10:00:00,Sales\x02desk\n"
                 "c1,Order received,2024-03-01 11:00:00,Sales\n")
    done = subprocess.run([sys.executable, "-m", "bpmncx", "annotate",
                           str(order / "online-order.bpmn"), str(order / "online-order-cx.xlsx"),
                           "--log", str(log), "-o", str(tmp_path / "out"),
                           "--format", "svg,html,xlsx,bpmn"], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "out" / "online-order.html").read_text(encoding="utf-8")
    assert "Odd\ufffd\ufffd[31mstep" in html.fromstring(page).text_content()
    for name in ("online-order.svg", "online-order.cx.bpmn"):
        etree.parse(str(tmp_path / "out" / name))  # well-formed
    with load_log(log) as read:
        assert sorted(name for name, _, _ in read.activities()) == [
            "Odd\ufffd\ufffd[31mstep", "Order received"]


def test_excel_s_unicode_text_export_is_read(tmp_path):
    """Excel's "Unicode Text" is UTF-16 with a byte order mark, tab-separated: its column
    names read as "c a s e" before."""
    text = "case\tactivity\ttimestamp\nc1\tCafé ordered\t2024-03-01 10:00:00\n" \
           "c1\tShip\t2024-03-02 10:00:00\n"
    path = _write(tmp_path, "log.txt", b"\xff\xfe" + text.encode("utf-16-le"))
    with load_log(path) as read:
        assert read.encoding == "UTF-16"
        assert sorted(name for name, _, _ in read.activities()) == ["Café ordered", "Ship"]
    big_endian = _write(tmp_path, "be.csv", b"\xfe\xff" + text.encode("utf-16-be"))
    assert _error(big_endian) == (f"{big_endian}: UTF-16 big-endian text, which the log reader "
                                  "cannot read; save the log as CSV UTF-8")


def test_a_windows_csv_is_read_as_windows_1252_with_a_warning_not_skipped(tmp_path):
    """Excel's CSV on Windows is Windows-1252: every row with an accent was skipped as
    'bytes that are not UTF-8 text'."""
    import subprocess
    import sys

    from conftest import SAMPLES

    path = _write(tmp_path, "log.csv", "case;activity;timestamp\nc1;Café ordered;2024-03-01 "
                  "10:00:00\nc1;Pay 5 \u20ac \u201cnow\u201d;2024-03-02 10:00:00\n"
                  "c1;Ship;bad\n".encode("cp1252"))
    with load_log(path) as read:
        assert (read.encoding, read.bad_rows) == ("Windows-1252", 1)
        assert str(read.bad_examples[0]) == "line 4: timestamp \u201cbad\u201d not understood"
        assert sorted(name for name, _, _ in read.activities()) == [
            "Café ordered", "Pay 5 \u20ac \u201cnow\u201d"]
    order = SAMPLES / "online-order"
    done = subprocess.run([sys.executable, "-m", "bpmncx", "measure",
                           str(order / "online-order.bpmn"), str(order / "online-order-cx.xlsx"),
                           "--log", str(path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[0] == (
        f"warning: {path}: not UTF-8 text; read as Windows-1252 (Excel's CSV on Windows); "
        "save the log as CSV UTF-8 to be sure of every character")
