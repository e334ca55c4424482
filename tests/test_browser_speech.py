"""语音阅读 in Debian's Chromium: offered only where the browser has a Chinese voice, reading the
page's main text sentence by sentence, with pause and stop. The browser's speech synthesis is
replaced by a recorder (headless Chromium has no voices), so the test hears what would be said."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

RECORDER = """
(() => {
  const voices = %s;
  const said = [];
  const synth = {
    paused: false, said,
    getVoices: () => voices,
    speak(u) { said.push(u.text); setTimeout(() => u.onend && u.onend(), 5); },
    cancel() { said.push("<cancel>"); },
    pause() { this.paused = true; },
    resume() { this.paused = false; },
    addEventListener() {},
    onvoiceschanged: null,
  };
  Object.defineProperty(window, "speechSynthesis", {value: synth, configurable: true});
  window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
})();
"""


def opened(browser, demo_url, voices: str, path: str = "documents/qzfb-2020-38/"):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORDER % voices)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(demo_url + path)
    page.wait_for_load_state("networkidle")
    return context, page, errors


def test_no_chinese_voice_no_controls(browser, demo_url):
    context, page, errors = opened(browser, demo_url, '[{"lang": "en-US", "name": "English"}]')
    page.locator(".gk-care summary").click()
    assert not page.locator(".gk-speech").is_visible()
    assert errors == []
    context.close()


def test_the_page_is_read_aloud_with_pause_and_stop(browser, demo_url):
    context, page, errors = opened(browser, demo_url, '[{"lang": "zh-CN", "name": "普通话"}]')
    page.locator(".gk-care summary").click()
    read = page.get_by_role("button", name="朗读本页")
    assert read.is_visible()
    read.click()
    said: list[str] = []
    for _ in range(100):  # each sentence ends a few ms after it starts (wait_for_function would need eval, which the CSP forbids)
        said = page.evaluate("window.speechSynthesis.said.filter(s => s !== '<cancel>')")
        if len(said) > 3:
            break
        page.wait_for_timeout(20)
    title = page.locator("article h1").inner_text()
    assert said[0] == title  # from the title on: no breadcrumbs
    assert all(len(s) < 400 for s in said)  # sentence by sentence
    assert page.locator(".gk-speech__status").inner_text() == "正在朗读"
    page.get_by_role("button", name="暂停").click()
    assert page.locator(".gk-speech__status").inner_text() == "已暂停"
    page.get_by_role("button", name="继续").click()
    page.get_by_role("button", name="停止").click()
    assert page.locator(".gk-speech__status").inner_text() == ""
    count = len(page.evaluate("window.speechSynthesis.said"))
    page.wait_for_timeout(100)
    assert len(page.evaluate("window.speechSynthesis.said")) == count  # nothing more after stop
    assert errors == []
    context.close()
