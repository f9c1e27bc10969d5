"""The patient entry page in a real browser, at the entry links of a stack applied by the real engine.

Screenshots of each state go to reports/entry-page/. The tests share one applied stack and run in
file order: the last one changes the renal waiting area's entry link.
"""

from __future__ import annotations

import copy
import time
from pathlib import Path

import pytest
import requests
from pulumi import automation as auto
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from tests.entry_page.accessibility import assert_accessible, focused, tab_to, type_keys
from tests.entry_page.conftest import (
    CALLER_EXPIRY_SECONDS,
    AppliedStack,
    harbour_health,
)
from tests.support.browser import screenshot

pytestmark = [pytest.mark.engine, pytest.mark.slow]

Applied = tuple[AppliedStack, dict[str, str]]
RENAL_FIELDS = [
    {"label": "Medicare number (required)", "type": "text", "required": True},
    {"label": "Date of birth (required)", "type": "date", "required": True},
    {"label": "Hospital record number", "type": "number", "required": False},
    {"label": "Email", "type": "email", "required": False},
    {"label": "Mobile number", "type": "tel", "required": False},
    {"label": "I am ready to start my video call (required)", "type": "checkbox", "required": True},
]
FORM_FIELDS = """
return [...document.querySelectorAll("form#join input")].map((input) => ({
  label: input.labels[0].textContent.replace(/\\s+/g, " ").trim(), type: input.type, required: input.required,
}));
"""
# What this test's callers type: it must never appear anywhere but in their own browser.
TYPED = ("2951 12345 1", "pat.typed@example.com", "0400 123 987", "Other-Caller-4471")


def text(browser: webdriver.Chrome, element_id: str) -> str:
    """The visible text of an element."""
    return str(browser.find_element(By.ID, element_id).text)


def wait_for(browser: webdriver.Chrome, element_id: str, wanted: str, seconds: float = 10) -> None:
    """Wait until the element's text contains `wanted` (the page updates itself through its heartbeat)."""
    WebDriverWait(browser, seconds).until(lambda b: wanted in text(b, element_id),
                                          f"#{element_id} never showed {wanted!r}")


def join_by_keyboard(browser: webdriver.Chrome, link: str) -> None:
    """Fill the renal form and join using nothing but the keyboard."""
    browser.get(link)
    for element_id, keys in [("entry-0", TYPED[0]), ("entry-1", "03271980"), ("entry-2", "40021"),
                             ("entry-3", TYPED[1]), ("entry-4", TYPED[2]), ("confirm-call-entry", Keys.SPACE)]:
        tab_to(browser, element_id)
        type_keys(browser, keys)
    assert browser.find_element(By.ID, "entry-1").get_attribute("value") == "1980-03-27"
    tab_to(browser, "join-button")
    type_keys(browser, Keys.ENTER)
    WebDriverWait(browser, 10).until(lambda b: b.find_elements(By.ID, "queue"), "the caller never reached the queue")


def other_caller(link: str) -> requests.Session:
    """A second caller, in their own browser session, joined through the same form."""
    session = requests.Session()
    joined = session.post(link, data={"entry-0": TYPED[3], "entry-1": "1975-01-02", "confirm-call-entry": "yes"},
                          timeout=10)
    assert joined.status_code == 200 and "You are in the queue" in joined.text
    return session


def assert_nothing_typed_is_kept(deployment: AppliedStack) -> None:
    """Nothing a caller typed is in the admin API, the platform's files or its log."""
    platform = deployment.platform
    admin = requests.get(f"{platform.url}/v1/organisations/{deployment.organisation_id}/tree",
                         headers=platform.operator_headers, timeout=10).text
    kept = [path.read_bytes() for path in Path(platform.data_dir).rglob("*") if path.is_file()]
    for typed in TYPED:
        assert typed not in admin
        assert not [blob for blob in kept if typed.encode() in blob], f"{typed!r} was written to the platform's files"


def test_a_caller_joins_by_keyboard_and_sees_only_their_own_place(applied: Applied, fresh_browser: webdriver.Chrome) -> None:
    deployment, links = applied
    link = links["renal"]
    assert deployment.move_callers(link, join=2) == 2, "two callers were already waiting"
    fresh_browser.get(link)
    assert text(fresh_browser, "main").startswith("Renal waiting area\nHarbour Renal Clinic")
    assert text(fresh_browser, "availability") == "Open now until 19:00."
    assert fresh_browser.execute_script(FORM_FIELDS) == RENAL_FIELDS
    assert_accessible(fresh_browser)
    screenshot(fresh_browser, "entry-open")

    join_by_keyboard(fresh_browser, link)
    assert text(fresh_browser, "place") == "You are number 3 in the queue."
    assert "Welcome. A member of the renal team" in text(fresh_browser, "messages")
    assert "running a little late" not in text(fresh_browser, "messages")
    assert_accessible(fresh_browser)
    screenshot(fresh_browser, "queue")

    other = other_caller(link)
    assert deployment.waiting_area(link)["waiting_count"] == 4
    deployment.move_callers(link, leave=1)  # the first caller is answered: everyone moves up
    wait_for(fresh_browser, "place-number", "2")
    deployment.move_callers(link, advance_minutes=16)
    wait_for(fresh_browser, "messages", "Your clinician is running a little late.")
    wait_for(fresh_browser, "waited", "You have waited 16 minutes.")
    page = fresh_browser.page_source
    assert TYPED[3] not in page and "number 4" not in page, "a caller sees nothing of another caller"
    assert_nothing_typed_is_kept(deployment)
    screenshot(fresh_browser, "queue-later")

    other.post(f"{link}/leave", timeout=10)
    deployment.move_callers(link, leave=1)
    fresh_browser.find_element(By.CSS_SELECTOR, "form.leave button").click()
    WebDriverWait(fresh_browser, 10).until(lambda b: "You have left the queue" in b.title)
    assert deployment.waiting_area(link)["waiting_count"] == 0


def test_a_caller_on_the_page_stops_pulumi_disabling_the_waiting_area(
    applied: Applied, fresh_browser: webdriver.Chrome,
) -> None:
    deployment, links = applied
    link = links["renal"]
    join_by_keyboard(fresh_browser, link)
    assert deployment.waiting_area(link)["waiting_count"] == 1
    disabling = copy.deepcopy(harbour_health())
    renal = next(c for c in disabling["organisations"][0]["clinics"] if c["key"] == "renal")
    renal["waiting_area"]["enabled"] = False
    with pytest.raises(auto.CommandError) as refused:
        deployment.apply(disabling)
    assert "callers are waiting" in str(refused.value) and "allow_disable_with_callers" in str(refused.value)
    area = deployment.waiting_area(link)
    assert area["enabled"] is True and area["waiting_count"] == 1, "the refusal changed nothing"
    assert text(fresh_browser, "place") == "You are number 1 in the queue.", "the caller kept their place"

    fresh_browser.find_element(By.CSS_SELECTOR, "form.leave button").click()
    WebDriverWait(fresh_browser, 10).until(lambda b: "You have left the queue" in b.title)
    assert deployment.waiting_area(link)["waiting_count"] == 0
    assert_accessible(fresh_browser)
    screenshot(fresh_browser, "left")


def test_an_abandoned_page_soon_stops_counting(applied: Applied, fresh_browser: webdriver.Chrome) -> None:
    deployment, links = applied
    link = links["renal"]
    join_by_keyboard(fresh_browser, link)
    time.sleep(CALLER_EXPIRY_SECONDS + 1)  # longer than the expiry: the open page's heartbeat keeps the place
    assert deployment.waiting_area(link)["waiting_count"] == 1
    fresh_browser.get("about:blank")  # the tab moves on without pressing Leave
    deadline = time.monotonic() + CALLER_EXPIRY_SECONDS + 5
    while deployment.waiting_area(link)["waiting_count"] and time.monotonic() < deadline:
        time.sleep(0.25)
    assert deployment.waiting_area(link)["waiting_count"] == 0
    fresh_browser.get(link)
    assert "Your place in the queue was given up" in text(fresh_browser, "main")
    assert fresh_browser.find_elements(By.ID, "join"), "the caller can join again"


def test_a_refused_form_says_what_to_fix_and_keeps_what_was_typed(
    applied: Applied, fresh_browser: webdriver.Chrome,
) -> None:
    deployment, links = applied
    fresh_browser.get(links["renal"])
    fresh_browser.find_element(By.ID, "entry-3").send_keys("not an address")
    fresh_browser.find_element(By.ID, "join-button").click()
    WebDriverWait(fresh_browser, 10).until(lambda b: b.find_elements(By.ID, "error-summary"))
    assert focused(fresh_browser)["id"] == "error-summary", "the summary of problems gets focus"
    assert text(fresh_browser, "error-summary").splitlines()[1:] == [
        "Medicare number is required", "Date of birth is required", "Enter an email address like name@example.com",
        "Confirm that you are ready to start your video call",
    ]
    email = fresh_browser.find_element(By.ID, "entry-3")
    assert email.get_attribute("value") == "not an address" and email.get_attribute("aria-invalid") == "true"
    assert deployment.waiting_area(links["renal"])["waiting_count"] == 0
    assert_accessible(fresh_browser)
    screenshot(fresh_browser, "entry-errors")


def test_a_closed_waiting_area_shows_its_hours(applied: Applied, fresh_browser: webdriver.Chrome) -> None:
    deployment, links = applied
    fresh_browser.get(links["physio"])
    assert text(fresh_browser, "availability").startswith("Closed now. Opens ")
    assert not fresh_browser.find_elements(By.TAG_NAME, "form"), "no way to join while closed"
    rows = [row.text for row in fresh_browser.find_elements(By.CSS_SELECTOR, ".hours tr")]
    assert [row.replace(" (today)", "") for row in rows] == [
        *[f"{day} 08:00 to 17:00 (closed 12:00 to 12:45)" for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")],
        "Saturday 09:00 to 12:00", "Sunday Closed",
    ]
    assert sum("(today)" in row for row in rows) == 1
    joined = requests.post(links["physio"], data={}, timeout=10)
    assert joined.status_code == 409 and deployment.waiting_area(links["physio"])["waiting_count"] == 0
    assert_accessible(fresh_browser)
    screenshot(fresh_browser, "closed")


def test_a_disabled_waiting_area_shows_its_message(applied: Applied, fresh_browser: webdriver.Chrome) -> None:
    _, links = applied
    fresh_browser.get(links["gp"])
    assert text(fresh_browser, "availability") == (
        "This waiting area is closed\n"
        "Telehealth GP appointments resume on 2 February. Call 02 9000 0000 for urgent care."
    )
    assert not fresh_browser.find_elements(By.TAG_NAME, "form")
    assert_accessible(fresh_browser)
    screenshot(fresh_browser, "disabled")


def test_an_old_link_after_an_allowed_entry_link_change_says_it_has_changed(
    applied: Applied, fresh_browser: webdriver.Chrome,
) -> None:
    deployment, links = applied
    moved = deployment.apply(harbour_health(renal_clinic="renal-annex"))
    assert "renal" not in moved and moved["renal-annex"] != links["renal"]
    fresh_browser.get(links["renal"])
    assert fresh_browser.title.startswith("This link has changed")
    page = text(fresh_browser, "main")
    assert "This link has changed" in page and "new link" in page
    for name in ("Renal", "Physio", "GP", "Harbour", "waiting area"):
        assert name not in page, "an old link never shows another clinic's waiting area"
    assert not fresh_browser.find_elements(By.TAG_NAME, "form")
    assert requests.get(links["renal"], timeout=10).status_code == 410
    assert_accessible(fresh_browser)
    screenshot(fresh_browser, "link-changed")

    fresh_browser.get(moved["renal-annex"])
    assert text(fresh_browser, "main").startswith("Renal waiting area\nHarbour Renal Annex")
