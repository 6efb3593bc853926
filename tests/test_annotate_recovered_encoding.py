"""A BPMN file declared UTF-8 but holding Windows-1252 bytes (an old editor's export):
the reader recovers it, and the annotated .cx.bpmn is strict, well-formed UTF-8 XML."""

from __future__ import annotations

import subprocess
import sys

from lxml import etree

from bpmncx import load_model
from bpmncx.workbook import write_template
from conftest import FIXTURES, ROOT

PIZZA = FIXTURES / "analysis" / "pizza.bpmn"
NAME = "S\u00e9lect a pizza \u2013 \u201cfast\u201d"  # é, en dash, curly quotes: cp1252 bytes


def test_annotated_file_of_a_recovered_encoding_is_strict_xml(tmp_path):
    data = PIZZA.read_bytes()
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    broken = tmp_path / "pizza.bpmn"
    broken.write_bytes(data.replace(b'name="Select a pizza"',
                                    b'name="' + NAME.encode("cp1252") + b'"'))
    book = tmp_path / "pizza-cx.xlsx"
    write_template([load_model(broken)], book)
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "bpmncx", "annotate", str(broken), str(book),
                           "-o", str(out), "--format", "bpmn"],
                          capture_output=True, text=True, cwd=ROOT, timeout=180)
    assert done.returncode == 0, done.stderr
    assert load_model(broken).warnings == [
        "bytes not valid in the declared encoding (first on line 17); "
        "read them as Windows-1252 (cp1252)"]
    written = (out / "pizza.cx.bpmn").read_bytes()
    written.decode("utf-8")  # strict: raises on any byte that is not UTF-8
    strict = etree.XMLParser(recover=False, resolve_entities=False, load_dtd=False,
                             no_network=True)
    root = etree.fromstring(written, strict)
    assert root.getroottree().docinfo.encoding.upper() == "UTF-8"
    names = [el.get("name") for el in root.iter("{*}task") if el.get("id") == "T_select"]
    assert names == [NAME]
