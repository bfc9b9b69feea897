"""The console seen in a real browser: headless Chromium (Debian's chromium and chromium-driver),
cut off from every host but this one, signs in with a key and walks the pages.

`trustnet console-screenshots` takes a picture of each page from a running server (README's
pictures come from a fresh `make demo`); tests/api/test_console_in_browser.py drives the same
browser through every role's pages.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from graph_service.core.errors import TrustNetError
from graph_service.tooling.browser_screenshot import chromium_paths

WINDOW = (1280, 1000)


def chromium(download_dir: Path | None = None, window: tuple[int, int] = WINDOW):
    """A headless Chromium that reaches only this machine (anything else fails at once, as offline)."""
    paths = chromium_paths()
    if paths is None:
        raise TrustNetError("Chromium is not installed: apt-get install chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = paths[0]
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={window[0]},{window[1]}", "--hide-scrollbars", "--force-device-scale-factor=1",
                     "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=127.0.0.1;localhost"):
        options.add_argument(argument)
    if download_dir is not None:
        options.add_experimental_option("prefs", {"download.default_directory": str(download_dir),
                                                  "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(paths[1]), options=options)
    if download_dir is not None:
        driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(download_dir)})
    return driver


def sign_in(driver, base_url: str, key: str, timeout_s: float = 30.0) -> None:
    """Sign in with the form, and wait until the signed-in page has come (the header names the role):
    a page asked for before then would go out without the session."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(f"{base_url}/console/sign-in")
    driver.find_element(By.ID, "api_key").send_keys(key)
    button = driver.find_element(By.ID, "sign-in")
    button.click()
    try:
        wait = WebDriverWait(driver, timeout_s)
        wait.until(ec.staleness_of(button))  # the answer to the form has come ...
        wait.until(lambda d: d.find_elements(By.ID, "who") or d.find_elements(By.ID, "note"))  # ... and is drawn
    except TimeoutException:
        raise TrustNetError(f"signing in at {base_url} did not finish within {timeout_s:.0f} s") from None
    if not driver.find_elements(By.ID, "who"):
        raise TrustNetError(f"signing in at {base_url} was refused: {driver.find_element(By.ID, 'note').text}")


def downloaded(folder: Path, suffix: str, timeout_s: float = 20.0) -> Path:
    """The file a download put in `folder`, once Chromium has finished writing it."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        done = [p for p in folder.glob(f"*{suffix}") if not p.name.endswith(".crdownload")]
        if done and not list(folder.glob("*.crdownload")):
            return done[0]
        time.sleep(0.2)
    raise TrustNetError(f"no {suffix} download arrived in {folder} within {timeout_s:.0f} s")


@dataclass(frozen=True)
class Page:
    name: str  # the picture's file name, without .png
    path: str  # under the server's address
    ready: str  # a CSS selector present once the page is drawn
    clicks: tuple[str, ...] = ()  # CSS selectors clicked in turn after loading (a form to send first)


def screenshots(base_url: str, keys: dict[str, str], pages: dict[str, list[Page]], out: Path) -> list[Path]:
    """Sign in with each role's key and take a picture of each of its pages."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    out.mkdir(parents=True, exist_ok=True)
    taken = []
    for role, visits in pages.items():
        driver = chromium()
        try:
            driver.get(f"{base_url}/console/sign-in")
            driver.save_screenshot(str(out / "console-sign-in.png"))
            sign_in(driver, base_url, keys[role])
            for page in visits:
                driver.get(base_url + page.path)
                for selector in page.clicks:
                    driver.find_element(By.CSS_SELECTOR, selector).click()
                WebDriverWait(driver, 60).until(ec.presence_of_element_located((By.CSS_SELECTOR, page.ready)))
                height = driver.execute_script("return document.body.scrollHeight")
                driver.set_window_size(WINDOW[0], min(max(height + 40, 600), 3000))
                path = out / f"{page.name}.png"
                driver.save_screenshot(str(path))
                taken.append(path)
                driver.set_window_size(*WINDOW)
        finally:
            driver.quit()
    return [out / "console-sign-in.png", *taken]
