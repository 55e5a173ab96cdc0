"""The UI in a real headless Chromium (Selenium), as councillors, officers and trainers use it.

Asking with Enter, the answer shown from its start and announced to screen readers, [n] links to
sources, feedback confirmed beside the buttons, plain-text copy, over-long questions refused
plainly, the phone and 400%-zoom layouts, axe-core (WCAG 2.2 AA) on every tab at two sizes, and
HTML in a document's metadata shown as text with no request made. Screenshots of the main views
are saved to docs/screenshots/.
"""

from __future__ import annotations

import os
import shutil
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import pytest

from assistant.settings import PROJECT_ROOT
from tests.conftest import free_port

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SHOTS = PROJECT_ROOT / "docs" / "screenshots"
CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
AXE = PROJECT_ROOT / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP, PHONE = (1280, 800), (390, 844)
TABS = ["Ask", "Induction quiz", "Compare councils", "Duty coverage map"]


def _missing(what: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is required in CI (make test installs it)")
    pytest.skip(f"{what} not installed (make browser-deps installs it)")


def fill(driver, box, text: str) -> None:  # type: ignore[no-untyped-def]
    """Put `text` in a textarea at once, as a paste would (typing 2,000 characters takes long)."""
    driver.execute_script(
        "const t = arguments[0]; t.value = arguments[1]; t.dispatchEvent(new Event('input', {bubbles: true}));",
        box,
        text,
    )


def chromium(width: int, height: int, logs: bool = False):  # type: ignore[no-untyped-def]
    """Headless Chromium as the machine notes say to start it; `logs`: keep its console and network log."""
    if not (CHROMIUM and DRIVER):
        _missing("chromium / chromium-driver")
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
        f"--window-size={width},{height}",
    ):
        options.add_argument(flag)
    if logs:
        options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    return driver


@pytest.fixture(scope="module")
def browser():
    driver = chromium(*DESKTOP)
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


def by_id(driver, element_id: str):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, element_id)


def load(driver, url: str, size: tuple[int, int] = DESKTOP):
    """Open the page at a window size and wait for the question box."""
    from selenium.webdriver.common.by import By

    driver.set_window_size(*size)
    driver.get(url)
    return wait_for(driver, lambda d: d.find_element(By.CSS_SELECTOR, "#lmcs-question textarea"))


def ask(driver, question: str) -> None:
    """Type a question and press Enter, as the README says; wait for its sources."""
    from selenium.webdriver.common.keys import Keys

    box = driver.find_element("css selector", "#lmcs-question textarea")
    box.send_keys(question, Keys.ENTER)
    wait_for(driver, lambda d: "[1]" in by_id(d, "lmcs-sources").text)


def axe_violations(driver) -> list[str]:
    """Serious and critical WCAG 2.2 A/AA violations axe-core finds on the page as it is now."""
    if not AXE.exists():
        _missing("axe-core (npm)")
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    found = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact,"
        " where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))));"
    )
    return [f"{v['id']} ({v['impact']}): {v['where']}" for v in found if v["impact"] in {"serious", "critical"}]


def open_tab(driver, name: str) -> None:
    """Select a tab, through Gradio's overflow menu when the window is too narrow to show it."""
    from selenium.webdriver.common.by import By

    def visible_tab(d):
        return next((b for b in d.find_elements(By.CSS_SELECTOR, "button[role=tab]") if b.text == name), None)

    tab = visible_tab(driver)
    if tab is None or not tab.is_displayed():
        driver.find_element(By.CSS_SELECTOR, ".overflow-menu button").click()
        tab = wait_for(
            driver,
            lambda d: next(
                (b for b in d.find_elements(By.CSS_SELECTOR, ".overflow-dropdown button") if b.text == name), None
            ),
        )
    tab.click()
    wait_for(
        driver,
        lambda d: (
            any(
                b.get_attribute("aria-selected") == "true" and b.text == name
                for b in d.find_elements(By.CSS_SELECTOR, "button[role=tab]")
            )
            or any(b.text == name for b in d.find_elements(By.CSS_SELECTOR, ".overflow-dropdown button.selected"))
        ),
    )


def test_a_councillor_asks_a_starter_question_and_checks_the_sources(browser, app_url, corpus_texts):
    from selenium.webdriver.common.by import By

    SHOTS.mkdir(parents=True, exist_ok=True)
    load(browser, app_url)
    starter = wait_for(
        browser,
        lambda d: next(
            (b for b in d.find_elements(By.CSS_SELECTOR, "button.lmcs-starter") if "What must I do as LMCS?" in b.text),
            None,
        ),
    )
    starter.click()

    # The sources panel fills with numbered citations, each passage with the quote marked.
    wait_for(browser, lambda d: "[1]" in by_id(d, "lmcs-sources").text)
    marks = [m.text for m in by_id(browser, "lmcs-sources").find_elements(By.TAG_NAME, "mark")]
    assert marks
    everything = " ".join("\n".join(corpus_texts.values()).split())
    for quote in marks:
        assert " ".join(quote.split()) in everything
    browser.save_screenshot(str(SHOTS / "answer.png"))

    # The new answer is shown from its first line, not scrolled to its end.
    wait_for(
        browser,
        lambda d: d.execute_script(
            "const rows = document.querySelectorAll('#lmcs-chat .bot-row'); const a = rows[rows.length - 1];"
            "const box = document.querySelector('#lmcs-chat').getBoundingClientRect();"
            "const r = a.getBoundingClientRect();"
            "return r.top >= box.top - 1 && r.top < box.bottom;"
        ),
    )

    # [2] in the answer is a link: following it brings source 2 into view and gives it the focus.
    link = wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#lmcs-chat a[href$='#source-2']"))
    link.click()
    wait_for(browser, lambda d: d.execute_script("return document.activeElement.id") == "source-2")

    # Each cited document is offered once; opening one shows the whole text, scrolled to the quote.
    options = [o.text for o in browser.find_elements(By.CSS_SELECTOR, "#lmcs-open label")]
    assert len(options) == len(set(options)) and len(options) <= len(marks)
    browser.find_element(By.CSS_SELECTOR, "#lmcs-open label").click()
    highlight = wait_for(browser, lambda d: d.find_element(By.ID, "lmcs-highlight"))
    assert " ".join(highlight.text.split()) == " ".join(marks[0].split())
    assert len(by_id(browser, "lmcs-document").text) > len(highlight.text) * 2  # the whole document
    wait_for(
        browser,
        lambda d: d.execute_script(
            "const r = document.getElementById('lmcs-highlight').getBoundingClientRect();"
            "return r.top >= 0 && r.bottom <= window.innerHeight;"
        ),
    )
    browser.save_screenshot(str(SHOTS / "document.png"))


def test_enter_asks_shift_enter_adds_a_line_and_the_answer_is_announced(browser, app_url):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    box = load(browser, app_url)
    assert "Enter asks" in browser.find_element("css selector", "#lmcs-question").text  # the hint is shown
    # Tab from the question box: the focused control shows a clear outline.
    box.click()
    box.send_keys(Keys.TAB)
    outline = browser.execute_script(
        "const s = getComputedStyle(document.activeElement); return [s.outlineStyle, parseFloat(s.outlineWidth)];"
    )
    assert outline[0] != "none" and outline[1] >= 2, outline
    browser.switch_to.active_element.send_keys(Keys.ESCAPE)  # the filter's list opens on focus
    box.send_keys("What is")
    ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.ENTER).key_up(Keys.SHIFT).perform()
    box.send_keys("corporate parenting?")
    assert box.get_attribute("value") == "What is\ncorporate parenting?"
    assert "[1]" not in by_id(browser, "lmcs-sources").text  # not asked yet
    box.send_keys(Keys.ENTER)
    wait_for(browser, lambda d: "[1]" in by_id(d, "lmcs-sources").text)

    # Screen readers hear the answer: a polite live region holds its text.
    region = by_id(browser, "lmcs-announce")
    assert region.get_attribute("aria-live") == "polite"
    first_quote = by_id(browser, "lmcs-sources").find_element("tag name", "mark").text
    wait_for(browser, lambda d: first_quote[:40] in d.execute_script("return arguments[0].textContent", region))

    # 👍 is confirmed right beside the buttons, without opening anything.
    up = by_id(browser, "lmcs-up")
    up.click()
    status = wait_for(
        browser,
        lambda d: by_id(d, "lmcs-feedback-status") if "saved" in by_id(d, "lmcs-feedback-status").text else None,
    )
    assert status.is_displayed()
    assert 0 <= status.rect["y"] - up.rect["y"] < 120
    assert status.get_attribute("aria-live") == "polite"

    # "Copy answer as text" gives plain text with the references, no Markdown marks.
    browser.execute_script(
        "window.copied = null; navigator.clipboard.writeText = (t) => { window.copied = t; return Promise.resolve(); };"
    )
    by_id(browser, "lmcs-copy").click()
    copied = wait_for(browser, lambda d: d.execute_script("return window.copied"))
    assert "Sources:" in copied and "[1]" in copied and first_quote[:40] in copied
    assert not any(mark in copied for mark in ("**", "> ", "](#"))


def test_an_over_long_question_is_refused_plainly_and_kept_to_shorten(browser, app_url):
    from selenium.webdriver.common.keys import Keys

    box = load(browser, app_url)
    long = "What must the lead member do about corporate parenting? " * 45  # ~2,500 characters
    fill(browser, box, long)
    box.send_keys(Keys.END, Keys.ENTER)
    wait_for(browser, lambda d: "limit is 2,000" in by_id(d, "lmcs-chat").text)
    assert len(box.get_attribute("value")) >= 2000  # not cut: still there to shorten
    region = by_id(browser, "lmcs-announce")
    assert "limit is 2,000" in browser.execute_script("return arguments[0].textContent", region)


def test_the_question_box_is_on_a_phones_first_screen_and_the_page_reflows_at_400_percent(browser, app_url):
    try:
        box = load(browser, app_url, PHONE)
        wait_for(browser, lambda d: box.is_displayed())
        bottom = browser.execute_script("return arguments[0].getBoundingClientRect().bottom", box)
        assert bottom <= browser.execute_script("return window.innerHeight")
        browser.save_screenshot(str(SHOTS / "phone.png"))

        # 400% zoom of a 1280 px window is a 320 CSS px viewport: one column, no sideways scrolling.
        box = load(browser, app_url, (320 + 15, 700))
        ask(browser, "What is corporate parenting?")
        width = browser.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], width
    finally:
        browser.set_window_size(*DESKTOP)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280x800", "390x844"])
def test_every_tab_passes_axe_wcag_2_2_aa(browser, app_url, size):
    from selenium.webdriver.common.by import By

    load(browser, app_url, size)
    ask(browser, "What is corporate parenting?")
    problems = {"Ask": axe_violations(browser)}
    for name in TABS[1:]:
        open_tab(browser, name)
        if name == "Induction quiz":
            by_id(browser, "lmcs-quiz-start").click()
            wait_for(browser, lambda d: "Question 1 of" in by_id(d, "lmcs-quiz-question").text)
            answer = by_id(browser, "lmcs-quiz-answer").find_element(By.TAG_NAME, "textarea")
            answer.send_keys("The council made law by the Children Act 2004, section 19.")
            by_id(browser, "lmcs-quiz-reveal").click()
            wait_for(browser, lambda d: "Key points" in by_id(d, "lmcs-quiz-result").text)
        if name == "Duty coverage map":
            by_id(browser, "lmcs-coverage-go").click()
            wait_for(browser, lambda d: "strong" in by_id(d, "lmcs-coverage-table").text)
        if name == "Compare councils":
            by_id(browser, "lmcs-compare-topic").find_element(By.TAG_NAME, "textarea").send_keys("corporate parenting")
            by_id(browser, "lmcs-compare-go").click()
            wait_for(browser, lambda d: "Wigan" in by_id(d, "lmcs-compare-table").text)
        problems[name] = axe_violations(browser)
        if size == DESKTOP and name in {"Induction quiz", "Duty coverage map"}:
            browser.save_screenshot(str(SHOTS / ("quiz.png" if name == "Induction quiz" else "coverage.png")))
    browser.set_window_size(*DESKTOP)
    assert problems == {name: [] for name in TABS}


def test_export_markdown_contains_the_quotes(browser, app_url):
    from selenium.webdriver.common.by import By

    load(browser, app_url)
    ask(browser, "What is corporate parenting?")
    quotes = [m.text for m in by_id(browser, "lmcs-sources").find_elements(By.TAG_NAME, "mark")]
    accordion = next(b for b in browser.find_elements(By.TAG_NAME, "button") if "Comment and export" in b.text)
    accordion.click()
    wait_for(browser, lambda d: by_id(d, "lmcs-export-md").is_displayed())
    by_id(browser, "lmcs-export-md").click()
    link = wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#lmcs-export-file a[href]"))
    markdown = urllib.request.urlopen(link.get_attribute("href"), timeout=30).read().decode("utf-8")
    assert "What is corporate parenting?" in markdown
    for quote in quotes:
        assert " ".join(quote.split()) in " ".join(markdown.split())


# --- issue #18: HTML from a document or its metadata never reaches the page as HTML -----------


class _Counter(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self):  # http.server's name
        _Counter.hits.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture(scope="module")
def trap():
    """A tiny local HTTP server that counts every request made to it."""
    server = HTTPServer(("127.0.0.1", free_port()), _Counter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="module")
def hostile_url(embedder, trap, tmp_path_factory):
    """The app over one document whose title, council and text carry <img> tags pointing at the trap."""
    from assistant.service import Service
    from assistant.settings import Settings
    from assistant.web.app import launch
    from assistant.web.chat import ChatUI
    from index.pipeline import build_index_pipeline

    folder = tmp_path_factory.mktemp("hostile")
    doc = folder / "anytown-portfolio.txt"
    doc.write_text(
        "Lead Member for Children's Services\n\n"
        f'The Lead Member champions corporate parenting for looked after children <img src="{trap}/quote.png">.\n\n'
        "The Lead Member holds the Director of Children's Services to account for safeguarding.\n",
        encoding="utf-8",
    )
    data = folder / "data"
    overrides = {"title": f'Portfolio <img src="{trap}/title.png">', "authority": f'Anytown <img src="{trap}/a.png">'}
    report = build_index_pipeline(embedder, data, folder, overrides=overrides).run([doc])
    assert report.ok, report.summary()
    service = Service.open(Settings(data_dir=data), embedder=embedder, use_llm=False)
    port = free_port()
    demo = launch(ChatUI(service), "127.0.0.1", port, prevent_thread_lock=True, quiet=True)
    yield f"http://127.0.0.1:{port}/"
    demo.close()


def test_html_in_a_documents_title_council_or_text_is_shown_as_text_and_fetches_nothing(browser, hostile_url, trap):
    _Counter.hits.clear()
    load(browser, hostile_url)
    ask(browser, "What does the Lead Member do for corporate parenting?")
    browser.find_element("css selector", "#lmcs-open label").click()
    wait_for(browser, lambda d: d.find_elements("id", "lmcs-highlight"))
    page = by_id(browser, "lmcs-sources").text + by_id(browser, "lmcs-document").text
    assert "<img src=" in page  # shown as text
    open_tab(browser, "Compare councils")
    by_id(browser, "lmcs-compare-topic").find_element("tag name", "textarea").send_keys("corporate parenting")
    by_id(browser, "lmcs-compare-go").click()
    wait_for(browser, lambda d: "Anytown" in by_id(d, "lmcs-compare-table").text)
    assert "<img src=" in by_id(browser, "lmcs-compare-table").text
    assert not browser.find_elements("css selector", f"img[src^='{trap}']")
    assert _Counter.hits == []
