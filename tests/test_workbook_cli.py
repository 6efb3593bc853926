"""bpmncx template / bpmncx validate on the command line."""

import subprocess
import sys

from click.testing import CliRunner

from bpmncx.cli import cli

from workbook_support import SHOP, load, set_row


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_template_then_validate_clean(tmp_path):
    out = tmp_path / "shop-cx.xlsx"
    result = run("template", SHOP, "-o", out, "--persona", "Busy parent", "--persona", "Student",
                 "--stages", "Find, Buy ,Use")
    assert result.exit_code == 0, result.output
    assert result.stderr == (f"wrote {out}: 9 touchpoint rows from shop.bpmn; personas: Busy parent, "
                             "Student\n")
    wb = load(out)
    assert [c.value for c in wb["Lists"]["C"][1:] if c.value] == ["Find", "Buy", "Use"]
    result = run("validate", out, SHOP)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == (f"{out}: 0 errors, 0 warnings; 2 personas, 0 customer-facing "
                             "touchpoints, 0 journey steps\n")


def test_validate_prints_every_problem_with_its_cell(tmp_path):
    out = tmp_path / "shop-cx.xlsx"
    run("template", SHOP, "-o", out)
    wb = load(out)
    set_row(wb["Journey"], 7, {"Step": 1, "Customer step": "Get mail", "Supported by": "Send confirmaton",
                               "Channel": "pigeon"})
    wb.save(out)
    result = run("validate", out, SHOP)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "warning: Journey!D7: channel \u201cpigeon\u201d is not in the channel list; kept as typed",
        "error: Journey!H7: \u201cSend confirmaton\u201d matches no element in shop.bpmn (did you "
        "mean \u201cSend confirmation\u201d?)",
    ]
    assert "1 error, 1 warning" in result.stderr


def test_warnings_alone_exit_zero(tmp_path):
    out = tmp_path / "shop-cx.xlsx"
    run("template", SHOP, "-o", out)
    wb = load(out)
    set_row(wb["Journey"], 2, {"Step": 1, "Customer step": "Ask", "Channel": "pigeon"})
    wb.save(out)
    result = run("validate", out, SHOP)
    assert result.exit_code == 0
    assert result.stdout.startswith("warning: Journey!D2:")


def test_template_update_reports_and_backs_up(tmp_path):
    out = tmp_path / "shop-cx.xlsx"
    run("template", SHOP, "-o", out)
    wb = load(out)
    set_row(wb["Journey"], 2, {"Step": 1, "Customer step": "Ask"})
    wb.save(out)
    result = run("template", SHOP, "-o", out, "--update", out, "--persona", "Student")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        f"wrote {out}: 9 touchpoint rows, 3 filled cells carried over from {out}; 0 new, 0 removed "
        "(kept, marked), 0 renamed",
        f"the previous {out} was kept as {tmp_path / 'shop-cx.bak.xlsx'}",
    ]
    assert load(out)["Journey"]["C2"].value == "Ask"


def test_output_must_be_xlsx(tmp_path):
    result = CliRunner().invoke(cli, ["template", str(SHOP), "-o", str(tmp_path / "x.xls")])
    assert result.exit_code == 2
    assert "the workbook must end in .xlsx" in result.output


def test_unreadable_workbook_is_one_line_and_exit_1(tmp_path):
    csv = tmp_path / "journey.csv"
    csv.write_text("Step,Customer step\n1,Order\n")
    completed = subprocess.run([sys.executable, "-m", "bpmncx", "validate", str(csv), str(SHOP)],
                               capture_output=True, text=True, timeout=60)
    assert completed.returncode == 1
    assert completed.stdout == ""
    lines = completed.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {csv}: this is a text (CSV) file")


def test_help_has_examples():
    for name in ("template", "validate"):
        result = run(name, "--help")
        assert result.exit_code == 0 and "Example:" in result.output


def test_template_update_from_another_models_workbook_warns(tmp_path):
    from workbook_support import write_model

    returns = write_model(tmp_path, "returns", [("R1", "Take back"), ("R2", "Refund")])
    other = tmp_path / "returns-cx.xlsx"
    run("template", returns, "-o", other)
    result = run("template", SHOP, "-o", tmp_path / "shop.xlsx", "--update", other)
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"warning: {other}: was made for other model(s): returns (returns.bpmn")
    assert "none of its 2 touchpoint rows matched an element of shop.bpmn" in lines[0]
    assert lines[1].startswith(f"wrote {tmp_path / 'shop.xlsx'}: ")
    assert (tmp_path / "shop.xlsx").exists()


def test_template_warns_about_a_persona_given_twice(tmp_path):
    out = tmp_path / "shop-cx.xlsx"
    result = run("template", SHOP, "-o", out, "--persona", "A", "--persona", "a",
                 "--persona", "Student", "--persona", "Student")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "warning: persona 'a' given twice (same as 'A'); kept once",
        "warning: persona 'Student' given twice; kept once",
        f"wrote {out}: 9 touchpoint rows from shop.bpmn; personas: A, Student",
    ]


def test_validate_reports_a_formula_without_result_once(tmp_path):
    out = tmp_path / "shop-cx.xlsx"
    run("template", SHOP, "-o", out)
    wb = load(out)
    set_row(wb["Journey"], 2, {"Step": 1, "Customer step": '=UPPER("ask")', "Channel": "Web"})
    wb.save(out)  # openpyxl keeps the formula and saves no result for it
    result = run("validate", out, SHOP)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    formula = [line for line in lines if "formula has no saved result" in line]
    assert len(formula) == 1 and formula[0].startswith("warning: Journey!C2: ")
    assert len(lines) == len(set(lines))
