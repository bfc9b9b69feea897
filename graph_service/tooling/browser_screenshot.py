"""Neo4j Browser seen in a real browser: headless Chromium (Debian's chromium and chromium-driver)
opens Browser, logs in, lets the post-connect commands load TrustNet's style and guide, runs the
guide's first query (the example firm) and its neighbourhood query, and saves a screenshot.

`trustnet browser-screenshot` runs it against the local server; tests/investigations runs the same
flow where Chromium is installed.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from graph_service.core.errors import TrustNetError
from graph_service.core.settings import Settings

CHROMIUM = ("chromium", "chromium-browser")
DRIVER = "chromedriver"
WINDOW = (1600, 1000)
NODES = "svg g.layer.nodes g.node, svg g.node"  # the graph visualisation's nodes
RISK_COLOURS = ("#4CAF7A", "#F2A93B", "#E04848")  # node.RiskLow / RiskMedium / RiskHigh in trustnet.grass


def chromium_paths() -> tuple[str, str] | None:
    """(chromium, chromedriver) where both are installed."""
    browser = next((p for p in map(shutil.which, CHROMIUM) if p), None)
    driver = shutil.which(DRIVER)
    return (browser, driver) if browser and driver else None


@dataclass
class BrowserVisit:
    screenshot: Path
    guide_title: str  # the first heading of the guide frame Browser opened on connect
    nodes_drawn: int  # nodes in the graph visualisation of the neighbourhood query
    style_loaded: bool  # scored firms are drawn in TrustNet's risk-band colours


# Browser has used both spellings of its test ids.
def _testid(name: str) -> str:
    return f'[data-testid="{name}"], [data-test-id="{name}"]'


def take_screenshot(settings: Settings, out: Path, timeout_s: float = 90.0) -> BrowserVisit:
    paths = chromium_paths()
    if paths is None:
        raise TrustNetError("Chromium is not installed: apt-get install chromium chromium-driver "
                            "(or run `make screenshot`, which does)")
    from selenium import webdriver
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = paths[0]
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={WINDOW[0]},{WINDOW[1]}", "--hide-scrollbars", "--force-device-scale-factor=1"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(paths[1]), options=options)
    wait = WebDriverWait(driver, timeout_s)
    try:
        driver.get(f"http://{settings.neo4j_host}:{settings.neo4j_http_port}/browser/")
        address = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, _testid("boltaddress"))))
        _type(address, f"127.0.0.1:{settings.neo4j_bolt_port}")
        _type(driver.find_element(By.CSS_SELECTOR, _testid("username")), settings.neo4j_user)
        _type(driver.find_element(By.CSS_SELECTOR, _testid("password")), settings.require_password())
        driver.find_element(By.CSS_SELECTOR, _testid("connect")).click()

        # On connect Browser runs `:style <api>/browser/style.grass; :play <api>/browser/guide.html`.
        parameter = wait.until(lambda d: _runnable(d, ":param"))
        guide_title = next((h.get_attribute("textContent").strip() for h in driver.find_elements(By.TAG_NAME, "h3")
                            if "TrustNet" in (h.get_attribute("textContent") or "")), "")
        _run_from_guide(driver, wait, parameter)
        wait.until(lambda d: _frame_with(d, ":param"))
        _run_from_guide(driver, wait, wait.until(lambda d: _runnable(d, "neighbourhood with scores")))
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, NODES)) >= 5)
        time.sleep(4)  # let the force layout settle
        nodes = driver.find_elements(By.CSS_SELECTOR, NODES)
        banded = driver.execute_script(
            "const c = [...document.querySelectorAll(arguments[0] + ' circle')]"
            "  .map(e => (e.getAttribute('fill') || '').toUpperCase());"
            "return c.filter(x => arguments[1].includes(x)).length;", NODES, list(RISK_COLOURS))
        out.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(out))
        return BrowserVisit(out, guide_title, len(nodes), banded > 0)
    except TimeoutException:
        failed = out.with_name(out.stem + "-failed.png")
        out.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(failed))
        texts = [f.get_attribute("textContent") or "" for f in driver.find_elements(By.CSS_SELECTOR, _testid("frame"))]
        frames = [f.get_attribute("textContent")[:100]
                  for f in driver.find_elements(By.CSS_SELECTOR, _testid("frameCommand"))]
        errors = [t[:200] for t in texts if "rror" in t or "Not found" in t]
        raise TrustNetError(f"Neo4j Browser did not get there in {timeout_s:.0f} s; frames: {frames}; "
                            f"errors: {errors}; see {failed}") from None
    finally:
        driver.quit()


def _type(field, text: str) -> None:
    """Replace a form field's text (Browser's inputs are React-controlled: clear() does not stick)."""
    from selenium.webdriver.common.keys import Keys

    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(Keys.DELETE)
    field.send_keys(text)


def _runnable(driver, text: str):
    """The guide's runnable code block whose text contains `text` (slides not shown are in the page too)."""
    from selenium.webdriver.common.by import By

    for element in driver.find_elements(By.CSS_SELECTOR, "pre.runnable, pre.code"):
        if text in (element.get_attribute("textContent") or ""):
            return element
    return False


def _run_from_guide(driver, wait, element) -> None:
    """Click a runnable block (Browser puts it in the editor), then run the editor."""
    from selenium.webdriver.common.by import By

    driver.execute_script("arguments[0].click();", element)
    run = wait.until(lambda d: next((b for b in d.find_elements(By.CSS_SELECTOR, _testid("editor-Run"))
                                     if b.is_enabled()), False))
    driver.execute_script("arguments[0].click();", run)


def _frame_with(driver, text: str) -> bool:
    from selenium.webdriver.common.by import By

    return any(text in (f.get_attribute("textContent") or "")
               for f in driver.find_elements(By.CSS_SELECTOR, _testid("frameCommand")))
