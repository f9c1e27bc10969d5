"""Checks of a page in the browser: labels, contrast (WCAG AA), a phone's width, touch targets, keyboard focus."""

from __future__ import annotations

from typing import Any

from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

# Every visible text's contrast with the background it sits on, below the WCAG AA minimum.
LOW_CONTRAST = """
const channels = (colour) => {
  const parts = colour.match(/rgba?\\(([^)]+)\\)/)[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
  return parts.length === 3 ? [...parts, 1] : parts;
};
const luminance = ([r, g, b]) => {
  const linear = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
};
const background = (element) => {
  for (; element; element = element.parentElement) {
    const colour = channels(getComputedStyle(element).backgroundColor);
    if (colour[3] > 0) return colour;
  }
  return [255, 255, 255, 1];
};
const low = [];
for (const element of document.querySelectorAll("body *")) {
  const style = getComputedStyle(element);
  const hasText = [...element.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
  if (!hasText || style.display === "none" || style.visibility === "hidden" || !element.getClientRects().length) continue;
  const [a, b] = [luminance(channels(style.color)), luminance(background(element))];
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  const size = parseFloat(style.fontSize);
  const large = size >= 24 || (Number(style.fontWeight) >= 700 && size >= 18.66);
  if (ratio < (large ? 3 : 4.5)) low.push(`${element.textContent.trim().slice(0, 40)}: ${ratio.toFixed(2)}`);
}
return low;
"""

# Form controls without a label, and controls smaller than a finger (24 CSS pixels, WCAG 2.5.8; links
# inside text are exempt).
UNLABELLED_AND_SMALL = """
const controls = [...document.querySelectorAll("input, select, textarea, button, a[href]")]
  .filter((c) => c.type !== "hidden" && c.getClientRects().length);
return {
  unlabelled: controls.filter((c) => c.labels && !c.labels.length && c.tagName !== "BUTTON")
    .map((c) => c.id || c.name),
  small: controls.filter((c) => c.tagName !== "A" || c.classList.contains("button"))
    .filter((c) => c.getBoundingClientRect().height < 24 || c.getBoundingClientRect().width < 24)
    .map((c) => c.id || c.textContent.trim()),
};
"""


def assert_accessible(browser: webdriver.Chrome) -> None:
    """The page has a language, one h1, labels on every control, AA contrast, and fits a phone without sideways scrolling."""
    assert browser.execute_script("return document.documentElement.lang") == "en"
    assert browser.execute_script("return document.querySelectorAll('h1').length") == 1
    assert browser.execute_script("return document.querySelector('meta[name=viewport]') !== null")
    assert browser.execute_script(LOW_CONTRAST) == [], "text below WCAG AA contrast"
    controls: dict[str, Any] = browser.execute_script(UNLABELLED_AND_SMALL)
    assert controls == {"unlabelled": [], "small": []}, controls
    width = browser.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways on a phone: {width}"


def focused(browser: webdriver.Chrome) -> dict[str, str]:
    """The focused element's id and how its focus shows."""
    return dict(browser.execute_script(
        "const e = document.activeElement, s = getComputedStyle(e);"
        "return {id: e.id || e.tagName.toLowerCase(), outline: s.outlineStyle, width: s.outlineWidth};"
    ))


def tab_to(browser: webdriver.Chrome, element_id: str, presses: int = 6) -> None:
    """Press Tab until the element has focus (a date input takes a press per part); its focus must show."""
    for _ in range(presses):
        ActionChains(browser).send_keys(Keys.TAB).perform()
        now = focused(browser)
        if now["id"] == element_id:
            assert now["outline"] != "none" and float(now["width"].removesuffix("px")) >= 2, now
            return
    raise AssertionError(f"Tab never reached #{element_id} (focus is on #{focused(browser)['id']})")


def type_keys(browser: webdriver.Chrome, keys: str) -> None:
    """Type into whatever has focus, as a person at a keyboard would."""
    ActionChains(browser).send_keys(keys).perform()
