"""The console in a real browser: headless Chromium, cut off from every other host, drives the pages
as a bank officer, a guarantor and an investigator, through the app served on loopback."""

from __future__ import annotations

import csv
import threading

import pytest
from werkzeug.serving import make_server

from graph_service.tooling.browser_screenshot import chromium_paths

pytestmark = pytest.mark.skipif(chromium_paths() is None, reason="Chromium is not installed (make test-tools "
                                                                  "installs it)")


@pytest.fixture(scope="module")
def base_url(api_world):
    server = make_server("127.0.0.1", 0, api_world.app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def browser(tmp_path):
    from graph_service.tooling.console_browser import chromium

    driver = chromium(download_dir=tmp_path)
    driver.download_dir = tmp_path
    yield driver
    driver.quit()


def _by_id(driver, element_id: str, timeout_s: float = 30):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout_s).until(ec.presence_of_element_located((By.ID, element_id)))


def test_a_bank_officer_finds_a_firm_reads_its_card_and_scores_a_batch(api_world, base_url, browser, tmp_path):
    from selenium.webdriver.common.by import By

    from graph_service.tooling.console_browser import downloaded, sign_in

    firm = api_world.ids["firm"]
    sign_in(browser, base_url, api_world.keys["bank"])
    assert _by_id(browser, "who").text.startswith("bank")
    browser.find_element(By.ID, "nav-firms").click()
    _by_id(browser, "q").send_keys(firm)
    browser.find_element(By.ID, "search").click()
    _by_id(browser, "found").find_element(By.LINK_TEXT, firm).click()
    assert firm in _by_id(browser, "firm-title").text
    assert browser.find_element(By.ID, "pd").text.endswith("%")
    reasons = browser.find_elements(By.CSS_SELECTOR, "#reasons li")
    assert reasons and all(r.find_element(By.CSS_SELECTOR, ".text").text for r in reasons)
    drawn = browser.find_elements(By.CSS_SELECTOR, "#neighbourhood svg g.node")
    assert len(drawn) >= 2  # the firm and its neighbours, drawn by the browser from the page's SVG
    assert browser.find_elements(By.CSS_SELECTOR, "#neighbourhood svg line.evidence")  # the ties behind a reason
    assert not browser.find_elements(By.ID, "browser-link")  # a bank does not explore the whole graph
    browser.find_element(By.ID, "nav-batch").click()
    upload = tmp_path / "applicants.csv"
    upload.write_text(f"firm_id\n{firm}\nNOBODY\n")
    _by_id(browser, "firms").send_keys(str(upload))
    browser.find_element(By.ID, "upload").click()
    with downloaded(browser.download_dir, "-scores.csv").open() as received:
        rows = list(csv.DictReader(received))
    assert [(r["firm_id"], bool(r["pd"]), r["error"]) for r in rows] == [(firm, True, ""),
                                                                        ("NOBODY", False, "no firm with this id")]


def test_a_guarantor_sees_its_own_exposure_runs_a_what_if_and_no_more(api_world, base_url, browser):
    from selenium.webdriver.common.by import By

    from graph_service.tooling.console_browser import sign_in

    own, other = api_world.ids["own_guarantor"], api_world.ids["other_guarantor"]
    sign_in(browser, base_url, api_world.keys["guarantor"])
    browser.find_element(By.ID, "nav-exposure").click()
    assert own in _by_id(browser, "guarantor-name").text
    assert browser.find_elements(By.CSS_SELECTOR, "#by-sector svg rect")
    assert float(browser.find_element(By.ID, "ead").text.replace(",", "")) > 0
    browser.get(f"{base_url}/console/exposure?guarantor={other}")  # asking for another's shows its own
    assert own in _by_id(browser, "guarantor-name").text and other not in browser.page_source
    browser.find_element(By.ID, "nav-what-if").click()
    box = _by_id(browser, "borrowers").find_element(By.CSS_SELECTOR, "input[type=checkbox]")
    box.click()
    browser.find_element(By.ID, "run-what-if").click()
    assert "loss of" in _by_id(browser, "direct-loss").text
    assert "of its capital" in browser.find_element(By.ID, "own-loss").text
    assert not browser.find_elements(By.ID, "nav-firms")  # no score pages offered ...
    browser.get(f"{base_url}/console/firms/{api_world.ids['firm']}")  # ... nor opened
    assert _by_id(browser, "error-status").text == "Not for your role"
    assert "A guarantor key cannot read scores" in browser.find_element(By.ID, "error-text").text
    browser.get(f"{base_url}/console/")
    browser.find_element(By.ID, "sign-out").click()
    assert "signed out" in _by_id(browser, "note").text
    browser.get(f"{base_url}/console/exposure")
    assert browser.current_url.startswith(f"{base_url}/console/sign-in")


def test_an_investigator_opens_neo4j_browser_on_a_firms_neighbourhood(api_world, base_url, browser):
    from urllib.parse import parse_qs, urlparse

    from selenium.webdriver.common.by import By

    from graph_service.tooling.console_browser import sign_in

    firm = api_world.ids["firm"]
    sign_in(browser, base_url, api_world.keys["investigator"])
    browser.get(f"{base_url}/console/firms/{firm}")
    link = urlparse(_by_id(browser, "browser-link").get_attribute("href"))
    assert link.port == api_world.settings.neo4j_http_port and link.path == "/browser/"
    query = parse_qs(link.query)
    statements = query["arg"][0]
    assert query["cmd"] == ["edit"] and statements.startswith(f":param firm_id => '{firm}';\n")
    assert "MATCH (f:Firm {id: $firm_id})" in statements  # the saved neighbourhood query, as in the guide
    assert browser.find_elements(By.CSS_SELECTOR, "#history tbody tr")  # its stored score history
