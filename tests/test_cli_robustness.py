"""Bad and odd input through the real `bpmncx` command: one-line errors, exit codes, no
half-written or empty outputs, nothing silently lost."""

import os
import subprocess
import sys

from conftest import SAMPLES

ORDER = SAMPLES / "online-order" / "online-order.bpmn"
ORDER_BOOK = SAMPLES / "online-order" / "online-order-cx.xlsx"


def bpmncx(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "bpmncx", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def assert_one_line_error(done, *names):
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    for name in names:
        assert name in lines[0]


def test_annotate_into_a_folder_below_a_file_is_a_one_line_error(tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("not a folder")
    done = bpmncx("annotate", ORDER, ORDER_BOOK, "-o", blocker / "sub")
    assert_one_line_error(done, "afile")
    assert blocker.read_text() == "not a folder"


def test_png_too_large_to_draw_is_an_error_not_an_empty_file(tmp_path):
    done = bpmncx("annotate", ORDER, ORDER_BOOK, "-o", tmp_path, "--format", "png",
                  "--scale", "20")
    assert_one_line_error(done, "online-order.bpmn", "--scale")
    assert not (tmp_path / "online-order.png").exists()


def test_batch_model_named_index_keeps_its_report_beside_the_portfolio(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "index.bpmn").write_bytes(ORDER.read_bytes())
    (repo / "index-cx.xlsx").write_bytes(ORDER_BOOK.read_bytes())
    out = tmp_path / "out"
    done = bpmncx("batch", repo, "-o", out, "-j", "1", "-q")
    assert done.returncode == 0, done.stderr
    portfolio = (out / "index.html").read_text(encoding="utf-8")
    assert "Process portfolio" in portfolio
    report = (out / "index.bpmn.html").read_text(encoding="utf-8")
    assert "Process portfolio" not in report
    assert 'href="index.bpmn.html"' in portfolio


def test_output_below_a_file_names_the_file_in_the_way(tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("not a folder")
    done = bpmncx("render", ORDER, "-o", blocker / "x.svg")
    assert_one_line_error(done, "is a file, not a folder")
    assert str(blocker) in done.stderr
    assert blocker.read_text() == "not a folder"


def test_same_model_twice_is_one_error_not_a_list_of_ambiguous_names():
    for args in (("gaps", ORDER, ORDER, ORDER_BOOK), ("validate", ORDER_BOOK, ORDER, ORDER)):
        done = bpmncx(*args)
        assert_one_line_error(done, "online-order.bpmn", "same name")
        assert "matches 2 elements" not in done.stdout + done.stderr


def test_outputs_never_overwrite_an_input(tmp_path):
    model = tmp_path / "online-order.bpmn"
    model.write_bytes(ORDER.read_bytes())
    book = tmp_path / "online-order-report.xlsx"  # the name annotate gives its Excel report
    book.write_bytes(ORDER_BOOK.read_bytes())
    done = bpmncx("annotate", model, book, "-o", tmp_path, "--format", "svg,xlsx")
    assert_one_line_error(done, "online-order-report.xlsx", "input")
    assert book.read_bytes() == ORDER_BOOK.read_bytes()
    assert not (tmp_path / "online-order.svg").exists()

    picture = tmp_path / "model.svg"  # a BPMN file with an odd name, drawn onto itself
    picture.write_bytes(ORDER.read_bytes())
    done = bpmncx("render", picture, "-o", picture)
    assert_one_line_error(done, "model.svg", "input")
    assert picture.read_bytes() == ORDER.read_bytes()


def test_a_folder_given_as_an_input_file_is_exit_1_with_one_line(tmp_path):
    folder = tmp_path / "folder.bpmn"
    folder.mkdir()
    for args in (("validate", folder, ORDER), ("validate", ORDER_BOOK, folder),
                 ("gaps", ORDER, folder), ("gaps", folder, ORDER_BOOK),
                 ("render", folder, "-o", tmp_path / "x.svg"),
                 ("annotate", ORDER, folder, "-o", tmp_path / "out"),
                 ("inspect", folder), ("strip", folder, "-o", tmp_path / "y.bpmn")):
        done = bpmncx(*args)
        assert_one_line_error(done, "folder.bpmn")


def test_a_plain_model_in_the_workbook_place_is_an_error_not_an_empty_journey():
    from click.testing import CliRunner

    from bpmncx.cli import cli
    from conftest import SAMPLES

    model = SAMPLES / "online-order" / "online-order.bpmn"
    result = CliRunner().invoke(cli, ["gaps", str(model), str(model)])
    assert result.exit_code == 2  # which one was meant as the workbook cannot be told
    assert "no workbook among these (only BPMN models)" in result.output
    result = CliRunner().invoke(cli, ["validate", str(model), str(model)])
    assert result.exit_code == 2
