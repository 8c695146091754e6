"""The built-in web page in a real browser: Debian's chromium, headless, driven by Selenium through chromium-driver
(scripts/browser-env installs both and exports their paths).

Chat runs against conftest's shared server on the real model; downloads against a server of its own that downloads
from the loopback stand-in Hub; the API key and the unreachable server each get a server of their own too.
Screenshots of the chat and the models page go to $BOTTICELLI_SCREENSHOTS (default .build/screenshots).
"""

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from conftest import free_port, required_env, stop, wait_healthy

ROOT = Path(__file__).resolve().parents[2]
HUB_SERVER = ROOT / "bench" / "download" / "hub_server.py"
FILENAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
LONG_PROMPT = "Write a very long story about a dragon who learns to sing. Use at least twenty paragraphs."


def screenshot(driver, name: str) -> None:
    folder = Path(os.environ.get("BOTTICELLI_SCREENSHOTS", ROOT / ".build" / "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    assert driver.save_screenshot(str(folder / name))




def start_server(*arguments, environment=None, port=None):
    """Starts botticelli_server with `arguments` (on `port`, else a free one); returns (process, url, log path)."""
    port = port or free_port()
    log = tempfile.NamedTemporaryFile(prefix="botticelli-web-", suffix=".log", delete=False)
    process = subprocess.Popen(
        [required_env("BOTTICELLI_BINARY"), "start", "--port", str(port), "--parallel", "1", "--ctx-size", "2048",
         "--threads", "2", *arguments],
        stdout=log, stderr=subprocess.STDOUT, env=environment or dict(os.environ, HF_HUB_OFFLINE="1"))
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, process, log.name)
    return process, url, log.name


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = required_env("BOTTICELLI_CHROMIUM")
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,860", "--force-device-scale-factor=1"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(required_env("BOTTICELLI_CHROMEDRIVER")), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def wait(driver, condition, timeout=30, message=""):
    return WebDriverWait(driver, timeout, poll_frequency=0.05,
                         ignored_exceptions=[StaleElementReferenceException]).until(condition, message)


def open_page(driver, url: str, fresh: bool = True) -> None:
    driver.get(url + "/")
    if fresh:
        # Each test starts without the conversations and settings of the one before.
        driver.execute_script("localStorage.clear(); sessionStorage.clear();")
        driver.get(url + "/")
    wait(driver, lambda d: "connected" in d.find_element(By.ID, "connection").text, message="the page never connected")


def set_field(driver, element_id: str, value) -> None:
    """Sets an input's value as the user would leave it, firing `change` so the page saves it."""
    driver.execute_script(
        "const field = document.getElementById(arguments[0]); field.value = arguments[1];"
        "field.dispatchEvent(new Event('change'));", element_id, str(value))


def assistant_text(driver) -> str:
    replies = driver.find_elements(By.CSS_SELECTOR, "#messages .message.assistant .content")
    return replies[-1].text if replies else ""


def busy_sequences(url: str) -> int:
    with urllib.request.urlopen(url + "/status") as reply:
        return json.load(reply)["busy_sequences"]


def send(driver, text: str) -> None:
    box = driver.find_element(By.ID, "message-input")
    box.send_keys(text)
    box.send_keys(Keys.ENTER)


def test_a_message_streams_its_reply_and_the_chat_is_kept(browser, server_url):
    open_page(browser, server_url)
    set_field(browser, "max-tokens", 150)
    set_field(browser, "temperature", 0)
    # Shift+Enter starts a new line in the message; Enter sends.
    box = browser.find_element(By.ID, "message-input")
    box.send_keys("Write a Python function that adds two numbers.")
    box.send_keys(Keys.SHIFT, Keys.ENTER)
    box.send_keys("Keep it short.")
    assert browser.find_elements(By.CSS_SELECTOR, "#messages .message") == []
    box.send_keys(Keys.ENTER)

    user = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#messages .message.user"))
    assert user[0].text == "Write a Python function that adds two numbers.\nKeep it short."
    # Streamed: the reply is seen growing while the page still marks it as streaming.
    lengths = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        streaming = browser.find_elements(By.CSS_SELECTOR, "#messages .message.assistant.streaming")
        text = assistant_text(browser)
        if not streaming:
            break
        if text:
            lengths.add(len(text))
        time.sleep(0.03)
    assert len(lengths) >= 2, f"the reply did not appear piece by piece: lengths seen {sorted(lengths)}"
    final = assistant_text(browser)
    assert len(final) > max(lengths) * 0.5
    stats = browser.find_element(By.CSS_SELECTOR, "#messages .message.assistant .stats").text
    assert "tokens/s" in stats and "first token" in stats and "ms" in stats, stats
    assert browser.find_element(By.ID, "send").is_displayed()
    # The reply's Markdown is rendered: its fenced code is a code block.
    code = browser.find_elements(By.CSS_SELECTOR, "#messages .message.assistant pre code")
    assert code and "def " in code[0].text, final
    screenshot(browser, "chat.png")

    # Kept in local storage: a reload shows the same conversation in the list and in the view.
    browser.refresh()
    wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#messages .message.assistant"))
    assert assistant_text(browser) == final
    titles = [item.text for item in browser.find_elements(By.CSS_SELECTOR, "#chat-list .open-chat")]
    assert titles == ["Write a Python function that adds two numbers."]
    # A new chat starts empty; the old one is still listed and opens again.
    browser.find_element(By.ID, "new-chat").click()
    assert browser.find_elements(By.CSS_SELECTOR, "#messages .message") == []
    assert len(browser.find_elements(By.CSS_SELECTOR, "#chat-list .open-chat")) == 2
    browser.find_elements(By.CSS_SELECTOR, "#chat-list .open-chat")[1].click()
    assert assistant_text(browser) == final


def test_stop_ends_the_stream_and_frees_the_sequence(browser, server_url):
    open_page(browser, server_url)
    set_field(browser, "max-tokens", 1500)
    set_field(browser, "temperature", 0)
    send(browser, LONG_PROMPT)
    wait(browser, lambda d: len(assistant_text(d)) > 20, message="no text streamed")
    assert browser.find_elements(By.CSS_SELECTOR, "#messages .message.assistant.streaming"), "finished too soon"
    assert busy_sequences(server_url) == 1
    browser.find_element(By.ID, "stop").click()
    wait(browser, lambda d: d.find_element(By.ID, "send").is_displayed(), timeout=5)
    stopped = assistant_text(browser)
    stats = browser.find_element(By.CSS_SELECTOR, "#messages .message.assistant .stats").text
    assert "stopped" in stats
    # The server cancels the generation: its sequence is free again at once, and the text grows no more.
    wait(browser, lambda _: busy_sequences(server_url) == 0, timeout=5, message="the generation went on")
    time.sleep(1)
    assert assistant_text(browser) == stopped


def test_markup_in_a_reply_is_shown_as_text(browser, server_url):
    open_page(browser, server_url)
    set_field(browser, "max-tokens", 40)
    set_field(browser, "temperature", 0)
    set_field(browser, "system-prompt", "Repeat the user message exactly, nothing else.")
    payload = '<img src=x onerror="window.injected=1"><script>window.injected=2</script> **bold**'
    send(browser, payload)
    wait(browser, lambda d: d.find_element(By.ID, "send").is_displayed()
         and d.find_elements(By.CSS_SELECTOR, "#messages .message.assistant .stats"), timeout=60)
    reply = assistant_text(browser)
    # The real model answers with a script element of its own; it must be text on the page, not run.
    assert "<script>" in reply, f"the model's reply changed; pick a prompt that yields markup: {reply!r}"
    assert browser.execute_script("return window.injected") is None
    messages = browser.find_element(By.ID, "messages")
    assert messages.find_elements(By.CSS_SELECTOR, "script, img, iframe, object, embed") == []

    # Stored replies go through the same renderer: every classic payload stays inert.
    hostile = "\n\n".join([
        "<script>window.injected=3</script>",
        '<img src=x onerror="window.injected=4">',
        "[click me](javascript:window.injected=5)",
        "**<svg onload=window.injected=6>**",
        "```html\n<script>window.injected=7</script>\n```",
        "[fine](https://example.org/)",
    ])
    chat = {"id": "hostile", "title": "hostile", "created": 0,
            "messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": hostile}]}
    browser.execute_script("localStorage.setItem('botticelli.chats', JSON.stringify([arguments[0]]))", chat)
    open_page(browser, server_url, fresh=False)
    content = browser.find_element(By.CSS_SELECTOR, "#messages .message.assistant .content")
    assert "<script>window.injected=3</script>" in content.text
    assert "[click me](javascript:window.injected=5)" in content.text
    assert content.find_elements(By.CSS_SELECTOR, "script, img, svg, iframe") == []
    links = content.find_elements(By.TAG_NAME, "a")
    assert [link.get_attribute("href") for link in links] == ["https://example.org/"]
    assert content.find_element(By.CSS_SELECTOR, "pre code").text == "<script>window.injected=7</script>"
    assert browser.execute_script("return window.injected") is None
    severe = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"
              and "favicon" not in entry["message"]]
    assert severe == [], severe


def test_narrow_window_and_dark_scheme(browser, server_url):
    open_page(browser, server_url)
    try:
        browser.set_window_size(400, 800)
        for view in ["chat", "models", "status"]:
            browser.find_element(By.ID, f"tab-{view}").click()
            overflow = browser.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, f"the {view} view is wider than a 400 px window by {overflow} px"
        browser.execute_cdp_cmd(
            "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark"}]})
        background = browser.execute_script("return getComputedStyle(document.body).backgroundColor")
        channels = [int(part) for part in background[background.index("(") + 1:-1].split(",")[:3]]
        assert max(channels) < 60, f"dark scheme not followed: body background {background}"
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
        browser.set_window_size(1280, 860)


def test_status_view_shows_the_loaded_model(browser, server_url, model_id):
    open_page(browser, server_url)
    browser.find_element(By.ID, "tab-status").click()
    row = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f"#status-table tr[data-model-id='{model_id}']"))
    assert "0 of 2" in row[0].find_element(By.CSS_SELECTOR, ".busy").text
    assert "Busy sequences: 0" in browser.find_element(By.ID, "status-summary").text


# ---------------------------------------------------------------------------------------------------------------
# Downloads from the stand-in Hub


@pytest.fixture(scope="module")
def hub_with_model():
    model = required_env("BOTTICELLI_FIXTURE_MODEL")
    digest = hashlib.sha256(Path(model).read_bytes()).hexdigest()
    # 3 MB/s per connection: the 98 MB fixture takes a few seconds with 8 connections, so progress is seen moving.
    process = subprocess.Popen(
        [sys.executable, str(HUB_SERVER), "--file", model, "--repo", "org/smol", "--filename", FILENAME,
         "--sha256", digest, "--rate", "3000000"], stdout=subprocess.PIPE, text=True)
    try:
        yield f"http://127.0.0.1:{int(process.stdout.readline())}", digest
    finally:
        stop(process)


@pytest.fixture(scope="module")
def download_server(hub_with_model):
    hub, digest = hub_with_model
    size = os.path.getsize(required_env("BOTTICELLI_FIXTURE_MODEL"))
    with tempfile.TemporaryDirectory(prefix="botticelli-web-dl-") as folder:
        config = Path(folder) / "config.toml"
        config.write_text(
            "[[models]]\n"
            'id = "smol-from-hub"\n'
            'name = "SmolLM2 135M from the stand-in Hub"\n'
            'hf_repo = "org/smol"\n'
            f'filename = "{FILENAME}"\n'
            'quantization = "Q4_1"\n'
            f"size_bytes = {size}\n"
            "min_ram_gb = 0.5\n"
            f'sha256 = "{digest}"\n')
        environment = dict(os.environ, HF_ENDPOINT=hub)
        environment.pop("HF_HUB_OFFLINE", None)
        process, url, log = start_server(
            "--model", required_env("BOTTICELLI_FIXTURE_MODEL"), "--config", str(config),
            "--cache-dir", str(Path(folder) / "cache"), environment=environment)
        try:
            yield url
        finally:
            stop(process)
            os.unlink(log)


def test_download_from_the_models_page_reaches_100_percent(browser, download_server):
    open_page(browser, download_server)
    browser.find_element(By.ID, "tab-models").click()
    row = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#models-table tr[data-model-id='smol-from-hub']"))
    assert row[0].find_element(By.CSS_SELECTOR, ".downloaded").text == "no"
    assert "Memory:" in browser.find_element(By.ID, "machine").text
    assert "Recommended:" in browser.find_element(By.ID, "machine").text
    row[0].find_element(By.CSS_SELECTOR, "button.download").click()

    seen = set()
    deadline = time.monotonic() + 120
    status = ""
    while time.monotonic() < deadline:
        bars = browser.find_elements(By.CSS_SELECTOR, ".pull[data-model='smol-from-hub'] progress")
        texts = browser.find_elements(By.CSS_SELECTOR, ".pull[data-model='smol-from-hub'] .pull-status")
        if bars:
            seen.add(int(float(bars[0].get_attribute("value"))))
            status = texts[0].text
            if "done" in status or "failed" in status:
                break
        time.sleep(0.05)
    assert "100%" in status and "done" in status, status
    assert any(0 < value < 100 for value in seen), f"no progress between 0 and 100 was shown: {sorted(seen)}"
    assert max(seen) == 100
    row = wait(browser, lambda d: [r for r in d.find_elements(
        By.CSS_SELECTOR, "#models-table tr[data-model-id='smol-from-hub']")
        if r.find_element(By.CSS_SELECTOR, ".downloaded").text == "yes"], message="the table never showed it")
    # Downloaded models are offered in the chat's model picker.
    options = [option.get_attribute("value") for option in
               browser.find_elements(By.CSS_SELECTOR, "#model-picker option")]
    assert "smol-from-hub" in options
    browser.execute_script("document.querySelector('#view-models').scrollTop = 0")
    screenshot(browser, "models.png")

    # Picked in the chat, the downloaded model is loaded on demand and answers.
    browser.find_element(By.ID, "tab-chat").click()
    set_field(browser, "model-picker", "smol-from-hub")
    set_field(browser, "max-tokens", 8)
    send(browser, "Hello")
    stats = wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#messages .message.assistant .stats"),
                 timeout=90, message="no reply from the downloaded model")
    assert stats[0].text.startswith("smol-from-hub"), stats[0].text
    assert "Error" not in assistant_text(browser)
    with urllib.request.urlopen(download_server + "/status") as reply:
        assert "smol-from-hub" in [model["id"] for model in json.load(reply)["models"]]

    # Loaded, it cannot be deleted; once unloaded (keep_alive 0) it can. Delete asks first.
    request = urllib.request.Request(
        download_server + "/api/generate", method="POST", headers={"Content-Type": "application/json"},
        data=json.dumps({"model": "smol-from-hub", "prompt": "", "keep_alive": 0}).encode())
    with urllib.request.urlopen(request) as reply:
        assert json.load(reply)["done_reason"] == "unload"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with urllib.request.urlopen(download_server + "/status") as reply:
            if "smol-from-hub" not in [model["id"] for model in json.load(reply)["models"]]:
                break
        time.sleep(0.2)
    browser.find_element(By.ID, "tab-models").click()
    row = wait(browser, lambda d: [r for r in d.find_elements(
        By.CSS_SELECTOR, "#models-table tr[data-model-id='smol-from-hub']")
        if r.find_elements(By.CSS_SELECTOR, "button.delete")], message="no delete button")
    browser.execute_script("window.confirm = () => true")
    row[0].find_element(By.CSS_SELECTOR, "button.delete").click()
    wait(browser, lambda d: [r for r in d.find_elements(
        By.CSS_SELECTOR, "#models-table tr[data-model-id='smol-from-hub']")
        if r.find_element(By.CSS_SELECTOR, ".downloaded").text == "no"], message="delete did not take")


# ---------------------------------------------------------------------------------------------------------------
# An API key, and a server that goes away


def test_the_page_asks_for_the_api_key_once(browser):
    process, url, log = start_server("--model", required_env("BOTTICELLI_FIXTURE_MODEL"), "--api-key", "s3cret-key")
    try:
        browser.get(url + "/")
        browser.execute_script("localStorage.clear(); sessionStorage.clear();")
        browser.get(url + "/")
        dialog = wait(browser, lambda d: d.find_element(By.ID, "api-key-dialog") if d.find_element(
            By.ID, "api-key-dialog").get_attribute("open") is not None else None, message="no key dialog")
        field = browser.find_element(By.ID, "api-key-input")
        field.send_keys("wrong-key", Keys.ENTER)
        wait(browser, lambda d: d.find_element(By.ID, "api-key-error").is_displayed(), message="no refusal shown")
        assert "not valid" in browser.find_element(By.ID, "api-key-error").text
        field.clear()
        field.send_keys("s3cret-key", Keys.ENTER)
        wait(browser, lambda d: "connected" in d.find_element(By.ID, "connection").text)
        assert dialog.get_attribute("open") is None
        # Kept for the tab: a reload does not ask again, and a chat works.
        browser.refresh()
        wait(browser, lambda d: "connected" in d.find_element(By.ID, "connection").text)
        assert browser.find_element(By.ID, "api-key-dialog").get_attribute("open") is None
        set_field(browser, "max-tokens", 8)
        send(browser, "Hello")
        wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#messages .message.assistant .stats"), timeout=60)
        assert "Error" not in assistant_text(browser)
    finally:
        stop(process)
        os.unlink(log)


def test_an_unreachable_server_is_reported_and_the_page_recovers(browser):
    model = required_env("BOTTICELLI_FIXTURE_MODEL")
    process, url, log = start_server("--model", model)
    port = url.rsplit(":", 1)[1]
    try:
        open_page(browser, url)
        stop(process)
        set_field(browser, "max-tokens", 8)
        send(browser, "Are you there?")
        banner = wait(browser, lambda d: d.find_element(By.ID, "banner") if d.find_element(
            By.ID, "banner").is_displayed() else None, message="no banner for the unreachable server")
        assert "Cannot reach the server" in banner.text
        assert "server unreachable" in browser.find_element(By.ID, "connection").text
        assert "cannot reach the server" in assistant_text(browser)
        # The same server comes back on the same port: the page notices and clears the banner.
        process, _, log2 = start_server("--model", model, port=int(port))
        os.unlink(log2)
        wait(browser, lambda d: not d.find_element(By.ID, "banner").is_displayed(), timeout=30,
             message="the page did not notice the server was back")
    finally:
        stop(process)
        os.unlink(log)
