"""The HTML reports in Debian's headless Chromium: no console errors, no network requests,
the diagram and the chart are visible, zoom and sorting work; a screenshot of each.

Needs /usr/bin/chromium, /usr/bin/chromedriver (Debian chromium-driver) and the
selenium package (requirements-test.txt); skipped with the reason when absent.
"""

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from bpmncx.pipeline.batch import run_batch
from conftest import SAMPLES
from report_support import HOSTILE, SCRIPT_NAME, make_workbook

CHROMIUM = os.environ.get("BPMNCX_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("BPMNCX_CHROMEDRIVER", "/usr/bin/chromedriver")
SCREENSHOTS = Path(os.environ.get("BPMNCX_SCREENSHOTS")
                   or Path(tempfile.gettempdir()) / "bpmncx-screenshots")

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium not installed (requirements-test.txt)")
if not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK)):
    pytest.skip(f"needs {CHROMIUM} and {CHROMEDRIVER} (Debian chromium, chromium-driver)",
                allow_module_level=True)

from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-default-apps", "--disable-extensions", "--window-size=1280,1600"):
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def _sample_models():
    models = []
    for model in sorted(SAMPLES.glob("*/*.bpmn")):
        workbook = model.with_name(model.stem + "-cx.xlsx")
        models.append(pytest.param(model, marks=[] if workbook.is_file() else pytest.mark.skip(
            reason=f"no sample workbook {workbook.name} yet")))
    return models


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """One batch over the samples (with their workbooks) and the hostile fixture."""
    root = tmp_path_factory.mktemp("browser-in")
    (root / "hostile").mkdir()
    shutil.copy(HOSTILE, root / "hostile" / "hostile.bpmn")
    make_workbook(root / "hostile" / "hostile.bpmn", root / "hostile" / "hostile-cx.xlsx")
    for model in SAMPLES.glob("*/*.bpmn"):
        target = root / model.parent.name
        target.mkdir(exist_ok=True)
        for part in model.parent.glob(model.stem + "*"):
            if part.suffix in (".bpmn", ".xlsx") and not part.name.startswith("~"):
                shutil.copy(part, target / part.name)
    out = tmp_path_factory.mktemp("browser-out")
    batch = run_batch([str(root)], out, formats=("svg", "html"), workers=1)
    return out, batch


def _open(browser, path: Path):
    """Load ``path``; return its console messages and the URLs it requested."""
    browser.get("about:blank")
    browser.get_log("browser")
    browser.get_log("performance")
    browser.get(path.as_uri())
    browser.execute_script("return document.readyState")
    console = browser.get_log("browser")
    requests = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requests.append(message["params"]["request"]["url"])
    return console, requests


def _visible_box(browser, css: str):
    return browser.execute_script(
        """
        const el = document.querySelector(arguments[0]);
        if (!el) return null;
        const r = el.getBoundingClientRect();
        const s = getComputedStyle(el);
        return {w: r.width, h: r.height, shown: s.display !== 'none' && s.visibility !== 'hidden'
                && r.width > 0 && r.height > 0};
        """, css)


def _check_report(browser, page: Path, name: str):
    console, requests = _open(browser, page)
    assert [m for m in console if m["level"] in ("SEVERE", "WARNING")] == [], console
    assert set(requests) <= {page.as_uri()}, requests
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 - no script from a name ever ran
    diagram = _visible_box(browser, "svg.diagram")
    assert diagram and diagram["shown"] and diagram["w"] > 400 and diagram["h"] > 100, diagram
    chart = _visible_box(browser, "svg.chart")
    assert chart and chart["shown"] and chart["w"] > 300 and chart["h"] > 100, chart
    # The chart draws a line with points; the diagram has hover titles.
    assert browser.execute_script("return document.querySelectorAll('svg.chart circle').length") > 0
    assert browser.execute_script("return document.querySelectorAll('svg.diagram title').length") > 3
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"{name}.png"
    browser.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_hostile_report_in_chromium(browser, outputs):
    out, _ = outputs
    page = out / "hostile" / "hostile.html"
    _check_report(browser, page, "hostile")
    cells = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "table td")]
    assert SCRIPT_NAME in cells


def test_zoom_and_sort_work(browser, outputs):
    out, _ = outputs
    _open(browser, out / "hostile" / "hostile.html")
    before = browser.execute_script("return document.querySelector('svg.diagram').getAttribute('viewBox')")
    browser.find_element(By.CSS_SELECTOR, "button[data-zoom='in']").click()
    after = browser.execute_script("return document.querySelector('svg.diagram').getAttribute('viewBox')")
    width = lambda box: float(box.split()[2])  # noqa: E731
    assert width(after) < width(before)
    browser.find_element(By.CSS_SELECTOR, "button[data-zoom='fit']").click()
    fitted = browser.execute_script("return document.querySelector('svg.diagram').getAttribute('viewBox')")
    assert [float(v) for v in fitted.split()] == pytest.approx([float(v) for v in before.split()], abs=0.01)

    # Hovering an element shows its details (its SVG <title>) in the box under the diagram.
    from selenium.webdriver.common.action_chains import ActionChains

    task = browser.find_element(By.CSS_SELECTOR, "svg.diagram g[id='t_inform']")
    ActionChains(browser).move_to_element(task).perform()
    hover = browser.find_element(By.CSS_SELECTOR, ".diagram-box .hover").text
    assert '=HYPERLINK("http://x","click")' in hover and "Post" in hover, hover

    def severities():
        return browser.execute_script(
            "const t = [...document.querySelectorAll('h2')].find(h => h.textContent === 'Findings')"
            ".nextElementSibling.querySelector('table');"
            "return [...t.tBodies[0].rows].map(r => r.cells[0].textContent);")

    first = severities()
    assert first[0] == "critical" and first[-1] == "info"
    header = browser.execute_script(
        "return [...document.querySelectorAll('h2')].find(h => h.textContent === 'Findings')"
        ".nextElementSibling.querySelector('th')")
    header.click()  # ascending: already worst first
    assert severities() == first
    header.click()  # descending: info first
    assert severities() == sorted(first, key=["critical", "warning", "info"].index, reverse=True)


@pytest.mark.parametrize("model", _sample_models(), ids=lambda p: p.stem)
def test_sample_report_in_chromium(browser, outputs, model):
    out, batch = outputs
    failed = {r.name: r.error for r in batch.results if r.error}
    assert model.stem not in failed, failed
    _check_report(browser, out / model.parent.name / f"{model.stem}.html", model.stem)


def test_portfolio_index_in_chromium(browser, outputs):
    out, _ = outputs
    console, requests = _open(browser, out / "index.html")
    assert [m for m in console if m["level"] == "SEVERE"] == [], console
    assert all(url.startswith(out.as_uri()) for url in requests), requests
    loaded = browser.execute_script(
        "return [...document.images].map(i => i.complete && i.naturalWidth > 0)")
    assert loaded and all(loaded)
    browser.save_screenshot(str(SCREENSHOTS / "index.png"))
