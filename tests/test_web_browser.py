"""The gate (`assistant/web/gate.py`) as a browser meets it, against a real `lmcs serve` with login on:
the login page works and shows nothing else, a signed-in administrator asks and adds a document,
and nothing the page needs once signed in is refused."""

from __future__ import annotations

import json
import shutil

import pytest

from evals.load import serving
from tests.test_browser import ask, by_id, chromium, fill, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ADMIN, ADMIN_PW = "alice", "a long password for alice 7731"
PLAIN, PLAIN_PW = "bob", "a long password for bob 5512"


@pytest.fixture(scope="module")
def browser():
    """Chromium with its console and network log kept (to see what the server refused)."""
    driver = chromium(1280, 900, logs=True)
    yield driver
    driver.quit()


def refused(driver) -> list[str]:
    """Every response of 401, 403, 411, 413 or 415 the page received since the last call."""
    out = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.responseReceived":
            response = message["params"]["response"]
            if response["status"] in (401, 403, 411, 413, 415):
                out.append(f"{response['status']} {response['url']}")
    return out


def feedback(data) -> list[tuple[str, int]]:
    from assistant.records import Records

    return [(f.question, f.rating) for f in Records.open(None, data_dir=data).feedback.rows()]


def test_a_browser_signs_in_through_the_gate_asks_and_adds_a_document(browser, tmp_path, corpus_data_dir):
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from assistant.records import Records

    data = tmp_path / "data"
    shutil.copytree(corpus_data_dir, data)
    Records.open(None, data_dir=data).users.add(ADMIN, ADMIN_PW, True)
    Records.open(None, data_dir=data).users.add(PLAIN, PLAIN_PW, False)
    (tmp_path / "tmp").mkdir()
    with serving(data, env={"TMPDIR": str(tmp_path / "tmp")}, log=tmp_path / "serve.log") as (url, _):
        browser.get(url)
        wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, "input[type=text], input:not([type])"))
        assert not browser.find_elements(By.CSS_SELECTOR, "#lmcs-question textarea")  # the login page only
        api = browser.execute_script("return window.gradio_api_info")
        assert not (api or {}).get("named_endpoints"), api
        refused(browser)  # what the login page asked for before signing in is not the question here

        sign_in(browser, ADMIN, ADMIN_PW)
        wait_for(browser, lambda d: by_id(d, "lmcs-add").is_displayed())  # an administrator may add documents
        ask(browser, "What is corporate parenting?")

        # A question that is refused, then 👍: nothing is rated, least of all the earlier answer
        # (issue #18: "👍 after a turn that errored is saved against a different answer").
        box = browser.find_element(By.CSS_SELECTOR, "#lmcs-question textarea")
        long = "What must the lead member do about corporate parenting? " * 45  # over the 2,000 limit
        fill(browser, box, long)
        box.send_keys(Keys.END, Keys.ENTER)
        wait_for(browser, lambda d: "limit is 2,000" in by_id(d, "lmcs-chat").text)
        by_id(browser, "lmcs-up").click()
        wait_for(browser, lambda d: by_id(d, "lmcs-feedback-status").text.strip())
        assert "not answered" in by_id(browser, "lmcs-feedback-status").text
        assert feedback(data) == []
        # The like button under the first answer rates that answer, not the refusal after it.
        buttons = "#lmcs-chat button[aria-label]"
        like = wait_for(
            browser,
            lambda d: [b for b in d.find_elements(By.CSS_SELECTOR, buttons) if b.get_attribute("aria-label") == "Like"],
        )
        like[0].click()
        wait_for(browser, lambda d: feedback(data))
        assert feedback(data) == [("What is corporate parenting?", 1)]
        # And the one under an answer after the refusal rates that answer.
        box.clear()

        def likes(d):  # type: ignore[no-untyped-def]
            return [b for b in d.find_elements(By.CSS_SELECTOR, buttons) if b.get_attribute("aria-label") == "Like"]

        before, shown = len(likes(browser)), by_id(browser, "lmcs-sources").text
        ask(browser, "What is my role on the safeguarding partnership?")
        # The sources panel still showed the first answer's [1]: wait until the new answer is done (its own
        # sources shown) and its own 👍 is there.
        wait_for(browser, lambda d: by_id(d, "lmcs-sources").text != shown)
        wait_for(browser, lambda d: likes(d)[before:])[-1].click()
        wait_for(browser, lambda d: len(feedback(d and data)) == 2)
        assert feedback(data)[-1] == ("What is my role on the safeguarding partnership?", 1)

        document = tmp_path / "wrenfield-portfolio.txt"
        document.write_text(
            "Wrenfield Council. The Lead Member for Children's Services chairs the Corporate Parenting Board "
            "every quarter and reports to full council on the Board's work.\n",
            encoding="utf-8",
        )
        browser.find_element(By.CSS_SELECTOR, "#lmcs-add button, #lmcs-add .label-wrap").click()
        chooser = wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#lmcs-add input[type=file]"))
        chooser.send_keys(str(document))
        try:
            wait_for(browser, lambda d: "wrenfield-portfolio" in by_id(d, "lmcs-add").text, 30)
        except TimeoutException:
            pytest.fail(f"upload not shown: {by_id(browser, 'lmcs-add').text!r}, refused: {refused(browser)}")
        add = next(b for b in browser.find_elements(By.CSS_SELECTOR, "#lmcs-add button") if "Add to" in b.text)
        add.click()
        wait_for(browser, lambda d: "added" in by_id(d, "lmcs-add").text.lower(), 120)
        assert refused(browser) == []  # signed in, nothing the page does is refused

        # A plain user is not offered an upload at all (the server would refuse it: test_web_gate).
        browser.get(url + "logout")
        sign_in(browser, PLAIN, PLAIN_PW)
        ask(browser, "What is corporate parenting?")
        assert not [e for e in browser.find_elements(By.ID, "lmcs-add") if e.is_displayed()]
        assert refused(browser) == []


def sign_in(browser, name: str, password: str) -> None:
    from selenium.webdriver.common.by import By

    box = wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, "input[type=text], input:not([type])"))
    box.send_keys(name)
    browser.find_element(By.CSS_SELECTOR, "input[type=password]").send_keys(password)
    next(b for b in browser.find_elements(By.TAG_NAME, "button") if b.text.strip().lower() == "login").click()
    wait_for(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#lmcs-question textarea"))
