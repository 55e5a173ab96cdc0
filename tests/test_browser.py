"""The UI in a real headless Chromium (Selenium): ask, see sources, open a document, export.

Screenshots of the main views are saved to docs/screenshots/.
"""

from __future__ import annotations

import os
import shutil
import urllib.request

import pytest

from assistant.settings import PROJECT_ROOT
from tests.conftest import free_port

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SHOTS = PROJECT_ROOT / "docs" / "screenshots"
CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM and DRIVER):
        if os.environ.get("CI") == "true":
            pytest.fail("chromium and chromium-driver are required in CI (make test installs them)")
        pytest.skip("chromium / chromedriver not installed (make test installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,800",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def app_url(assistant, tmp_path_factory):
    from assistant.web.app import launch
    from tests.conftest import ui_for

    port = free_port()
    demo = launch(
        ui_for(assistant, tmp_path_factory.mktemp("ui-data")), "127.0.0.1", port, prevent_thread_lock=True, quiet=True
    )
    yield f"http://127.0.0.1:{port}/"
    demo.close()


def wait_for(driver, condition, seconds: float = 60):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds, poll_frequency=0.2).until(condition)


def test_a_councillor_asks_a_starter_question_and_checks_the_sources(browser, app_url, corpus_texts):
    from selenium.webdriver.common.by import By

    SHOTS.mkdir(parents=True, exist_ok=True)
    browser.get(app_url)
    starter = wait_for(
        browser,
        lambda d: next(
            (b for b in d.find_elements(By.CSS_SELECTOR, "button.lmcs-starter") if "What must I do as LMCS?" in b.text),
            None,
        ),
    )
    starter.click()

    # The sources panel fills with numbered citations, each passage with the quote marked.
    wait_for(browser, lambda d: "[1]" in d.find_element(By.ID, "lmcs-sources").text)
    marks = [m.text for m in browser.find_element(By.ID, "lmcs-sources").find_elements(By.TAG_NAME, "mark")]
    assert marks
    everything = "\n".join(corpus_texts.values())
    for quote in marks:
        assert " ".join(quote.split()) in " ".join(everything.split())
    chat = browser.find_element(By.ID, "lmcs-chat").text
    assert "[1]" in chat and "in their own words" in chat
    browser.save_screenshot(str(SHOTS / "answer.png"))

    # Opening a cited document shows the whole text, scrolled to the highlighted quote.
    option = wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#lmcs-open label"))
    option.click()
    highlight = wait_for(browser, lambda d: d.find_element(By.ID, "lmcs-highlight"))
    assert " ".join(highlight.text.split()) == " ".join(marks[0].split())
    document = browser.find_element(By.ID, "lmcs-document").text
    assert len(document) > len(highlight.text) * 2  # the whole document, not just the passage
    wait_for(
        browser,
        lambda d: d.execute_script(
            "const r = document.getElementById('lmcs-highlight').getBoundingClientRect();"
            "return r.top >= 0 && r.bottom <= window.innerHeight;"
        ),
    )
    browser.save_screenshot(str(SHOTS / "document.png"))


def test_export_markdown_contains_the_quotes(browser, app_url):
    from selenium.webdriver.common.by import By

    browser.get(app_url)
    box = wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#lmcs-question textarea"))
    box.send_keys("What is corporate parenting?")
    browser.find_element(By.ID, "lmcs-ask").click()
    wait_for(browser, lambda d: "[1]" in d.find_element(By.ID, "lmcs-sources").text)
    quotes = [m.text for m in browser.find_element(By.ID, "lmcs-sources").find_elements(By.TAG_NAME, "mark")]

    accordion = next(b for b in browser.find_elements(By.TAG_NAME, "button") if "Feedback and export" in b.text)
    accordion.click()
    wait_for(browser, lambda d: d.find_element(By.ID, "lmcs-export-md").is_displayed())
    browser.find_element(By.ID, "lmcs-export-md").click()
    link = wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#lmcs-export-file a[href]"))
    markdown = urllib.request.urlopen(link.get_attribute("href"), timeout=30).read().decode("utf-8")
    assert "What is corporate parenting?" in markdown
    for quote in quotes:
        assert " ".join(quote.split()) in " ".join(markdown.split())


def test_the_page_works_at_phone_width(browser, app_url):
    from selenium.webdriver.common.by import By

    browser.set_window_size(390, 844)
    try:
        browser.get(app_url)
        box = wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#lmcs-question textarea"))
        assert box.is_displayed() and box.size["width"] <= 390
        labels = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "label, span[data-testid='block-info']")]
        assert any("Your question" in t for t in labels)
        browser.save_screenshot(str(SHOTS / "phone.png"))
    finally:
        browser.set_window_size(1280, 800)
