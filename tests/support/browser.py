"""Headless Chromium from Debian's packages, driven by Selenium through Debian's chromedriver.

Nothing is downloaded: the browser and the driver are the system's (`make test` installs them), and
Selenium Manager is told to stay offline.
"""

from __future__ import annotations

import base64
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

REPORTS = Path(__file__).resolve().parents[2] / "reports"
PHONE = (390, 844)  # CSS pixels of a common phone screen
BROWSER_NAMES = ("chromium", "chromium-browser")
DRIVER_NAMES = ("chromedriver", "chromium-driver")


def system_program(names: tuple[str, ...], package: str) -> str:
    """The path of a program installed from Debian's packages; fail (never skip) when it is missing."""
    for name in names:
        found = shutil.which(name) or (f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None)
        if found:
            return found
    raise RuntimeError(f"{names[0]} is not installed: `make test` installs it (apt-get install {package})")


@contextmanager
def headless_chromium(size: tuple[int, int] = PHONE) -> Iterator[webdriver.Chrome]:
    """A headless Chromium with a phone-sized window, in English, closed at the end of the block."""
    os.environ.setdefault("SE_OFFLINE", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = system_program(BROWSER_NAMES, "chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--no-first-run", "--disable-extensions", "--lang=en-US", f"--window-size={max(size[0], 500)},{size[1]}"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "en-US"})
    # A window cannot be narrower than 500 pixels: the phone's screen is emulated.
    options.add_experimental_option("mobileEmulation", {
        "deviceMetrics": {"width": size[0], "height": size[1], "pixelRatio": 1.0, "touch": True, "mobile": True},
    })
    driver = webdriver.Chrome(options=options, service=Service(system_program(DRIVER_NAMES, "chromium-driver")))
    try:
        driver.set_page_load_timeout(30)
        yield driver
    finally:
        driver.quit()


def screenshot(driver: webdriver.Chrome, name: str) -> Path:
    """Save the whole page (not only the window) as reports/entry-page/<name>.png."""
    metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
    })
    path = REPORTS / "entry-page" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))
    return path
