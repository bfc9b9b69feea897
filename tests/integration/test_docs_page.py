"""/docs works offline: Swagger UI comes from the API itself, and a real browser draws the routes."""

import re
import threading

import pytest
from werkzeug.serving import make_server

from graph_service.adapters.memory import MemoryStore
from graph_service.api import create_app
from graph_service.tooling.browser_screenshot import chromium_paths


@pytest.fixture
def app(settings):
    return create_app(settings, store=MemoryStore())


def test_the_docs_page_loads_nothing_from_another_host_and_every_asset_it_names_is_served(app):
    client = app.test_client()
    page = client.get("/docs").get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets and not [a for a in assets if not a.startswith("/")], assets
    for asset in assets:
        with client.get(asset) as response:
            assert response.status_code == 200 and len(response.data) > 1000, asset
            assert response.mimetype in ("text/css", "text/javascript", "application/javascript"), asset


@pytest.mark.skipif(chromium_paths() is None, reason="Chromium is not installed (apt-get install chromium "
                                                      "chromium-driver)")
def test_headless_chromium_draws_the_routes_from_the_docs_page(app):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    browser, driver_path = chromium_paths()
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     # Anything not on this machine fails at once, as it would offline.
                     "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=127.0.0.1"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        driver.get(f"http://127.0.0.1:{server.server_port}/docs")
        WebDriverWait(driver, 30).until(ec.presence_of_element_located((By.CSS_SELECTOR, ".opblock")))
        paths = {e.text for e in driver.find_elements(By.CSS_SELECTOR, ".opblock-summary-path")}
        assert "/v1/firms/{firm_id}/score" in {p.replace("\u200b", "") for p in paths}
    finally:
        driver.quit()
        server.shutdown()
