"""Neo4j Browser in headless Chromium on the demo graph: it logs in, loads TrustNet's style and guide
on connect, runs the guide's queries and draws the firm's neighbourhood (where Chromium is installed)."""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from graph_service.api import create_app
from graph_service.tooling.browser_screenshot import chromium_paths, take_screenshot

pytestmark = pytest.mark.skipif(chromium_paths() is None, reason="Chromium is not installed (apt-get install "
                                                                  "chromium chromium-driver, or `make screenshot`)")


@pytest.fixture
def api_serving_the_guide(demo_graph, settings):
    """The API where the test server's Browser configuration expects it (TRUSTNET_API_PORT)."""
    server = make_server(settings.api_browser_host, settings.api_port, create_app(settings, store=demo_graph),
                         threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield
    server.shutdown()


def test_browser_loads_the_style_and_guide_and_draws_a_firms_neighbourhood(api_serving_the_guide, settings, tmp_path):
    visit = take_screenshot(settings, tmp_path / "browser.png")
    assert visit.guide_title.startswith("TrustNet")
    assert visit.nodes_drawn >= 5 and visit.style_loaded
    assert visit.screenshot.stat().st_size > 50_000  # a real picture, not a blank page
