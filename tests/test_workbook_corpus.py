"""Workbooks for every model of the shared MIWG corpus: written, filled and read back cleanly."""

import pytest

import bpmncx
from bpmncx.annotations import ElementRef
from bpmncx.workbook import read_annotations, write_template
from bpmncx.workbook.rows import listed_nodes

from conftest import CORPUS, needs_corpus
from workbook_support import load, set_row

FOLDERS = sorted(p for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []


@needs_corpus
@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_one_workbook_per_corpus_folder(tmp_path, folder):
    models = [bpmncx.load_model(path) for path in sorted(folder.glob("*.bpmn"))]
    out = tmp_path / "corpus.xlsx"
    result = write_template(models, out)
    assert result.rows == sum(len(listed_nodes(m)) for m in models)
    wb = load(out)
    expected = {}
    row = 2
    for model in models:
        nodes = listed_nodes(model)[:5]
        if not nodes:
            continue
        # ids repeat across models of one folder (export / roundtrip): prefix the model
        set_row(wb["Journey"], row, {"Step": row - 1, "Customer step": f"Step in {model.name}",
                                     "Supported by": "\n".join(f"{model.name}: {n.id}" for n in nodes)})
        expected[row - 1] = [ElementRef(model.name, n.id) for n in nodes]
        row += 1
    wb.save(out)
    annotations = read_annotations(out, models)
    assert [str(p) for p in annotations.problems] == []
    assert len(annotations.touchpoints) == result.rows
    assert {s.number: s.supported_by for s in annotations.journey} == expected
