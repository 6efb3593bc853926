"""The workbook in a real spreadsheet program: LibreOffice Calc, headless."""

import shutil
import subprocess

import pytest

import bpmncx
from bpmncx.errors import WorkbookError
from bpmncx.workbook import read_annotations, write_template

from test_workbook import fill
from workbook_support import SHOP, load

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def convert(source, target_format, outdir, profile):
    """soffice --headless --convert-to, with a private profile so parallel runs do not clash."""
    outdir.mkdir(exist_ok=True)
    completed = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", target_format, "--outdir", str(outdir), str(source)],
        capture_output=True, text=True, timeout=180,
    )
    assert completed.returncode == 0, completed.stderr
    stem = source.stem
    produced = outdir / f"{stem}.{target_format.split(':')[0]}"
    assert produced.exists(), f"soffice made nothing: {completed.stdout} {completed.stderr}"
    return produced


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    return tmp_path_factory.mktemp("libreoffice")


@pytest.fixture(scope="module")
def filled(work):
    model = bpmncx.load_model(SHOP)
    path = work / "shop-cx.xlsx"
    write_template([model], path, personas=["Busy parent", "Student"])
    fill(path)
    wb = load(path)
    wb["Journey"]["J5"] = '="Call "&"back"'  # a formula the owner typed; only its result counts
    wb.save(path)
    return path


def test_workbook_converts_to_pdf(work, filled):
    pdf = convert(filled, "pdf", work / "pdf", work / "profile")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 1000


def test_saved_by_libreoffice_reads_back_the_same(work, filled):
    model = bpmncx.load_model(SHOP)
    saved = convert(filled, "xlsx", work / "saved", work / "profile")
    original = read_annotations(filled, [model])
    again = read_annotations(saved, [model])
    # openpyxl stores no formula results; LibreOffice computed and saved one
    assert [str(p) for p in original.problems] == [
        "Journey!J5: the formula has no saved result, so it reads as empty; open the workbook in "
        "Excel or LibreOffice and save it, or type the value", "Journey!A3: step 1 comes after a higher step number on the sheet; the journey follows the Step numbers, not the order of the rows"]
    assert [str(p) for p in again.problems] == ["Journey!A3: step 1 comes after a higher step number on the sheet; the journey follows the Step numbers, not the order of the rows"]
    assert again.journey[2].notes == "Call back"
    assert [(t.element_id, t.customer_facing, t.channel, t.emotions) for t in again.touchpoints] == [
        (t.element_id, t.customer_facing, t.channel, t.emotions) for t in original.touchpoints]
    assert [(s.customer_step, s.supported_by, s.emotion) for s in again.journey] == [
        (s.customer_step, s.supported_by, s.emotion) for s in original.journey]
    # the dropdowns survive a real spreadsheet program
    ws = load(saved)["Touchpoints"]
    assert len(ws.data_validations.dataValidation) >= 4
    assert ws.protection.sheet


def test_legacy_xls_gets_a_one_line_fix(work, filled):
    xls = convert(filled, "xls", work / "xls", work / "profile")
    with pytest.raises(WorkbookError) as info:
        read_annotations(xls, [bpmncx.load_model(SHOP)])
    message = str(info.value)
    assert "legacy Excel 97-2003 file (.xls)" in message and "save it as an Excel workbook (.xlsx)" in message
    assert "\n" not in message
