// 语音阅读: the page's main text read aloud by the browser's own speech synthesis, in Chinese.
// Nothing is fetched from anywhere: where the browser has no Chinese voice, the controls stay
// hidden. Long pages are spoken sentence by sentence (engines cut off long utterances).
(function () {
  "use strict";
  var synth = window.speechSynthesis;
  var controls = document.querySelector(".gk-speech");
  if (!synth || !controls || typeof SpeechSynthesisUtterance === "undefined") return;
  var status = controls.querySelector(".gk-speech__status");
  var button = function (name) { return controls.querySelector("[data-gk-speech=" + name + "]"); };
  var queue = [];
  var speaking = false;

  function chineseVoice() {
    return synth.getVoices().filter(function (voice) { return /^zh([-_]CN|[-_]Hans)?/i.test(voice.lang); })[0] || null;
  }

  // The text from the page's title on, block by block, without navigation (breadcrumbs, pagers).
  function sentences() {
    var main = document.querySelector("article") || document.querySelector("main");
    if (!main) return [];
    var title = main.querySelector("h1");
    var blocks = Array.prototype.filter.call(main.querySelectorAll("h1, h2, h3, h4, p, li, caption, th, td, dt, dd"), function (el) {
      var nested = el.parentElement.closest("p, li, td, th, dd");
      var after = !title || el === title || (title.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
      return after && !nested && !el.closest("nav, [hidden], .gk-crumbs");
    });
    return blocks.map(function (el) { return el.innerText; }).join("\n")
      .split(/(?<=[。！？；\n])/).map(function (s) { return s.trim(); }).filter(Boolean);
  }

  function show(state) {
    speaking = state !== "";
    status.textContent = state;
    button("pause").disabled = !speaking;
    button("stop").disabled = !speaking;
    button("pause").textContent = synth.paused ? "继续" : "暂停";
  }

  function next(voice) {
    var sentence = queue.shift();
    if (!sentence) { show(""); return; }
    var utterance = new SpeechSynthesisUtterance(sentence);
    utterance.lang = "zh-CN";
    utterance.voice = voice;
    utterance.onend = function () { if (speaking) next(voice); };
    synth.speak(utterance);
  }

  function offer() {
    var voice = chineseVoice();
    if (!voice) return;
    controls.hidden = false;
    button("read").onclick = function () {
      synth.cancel();
      queue = sentences();
      show("正在朗读");
      next(voice);
    };
    button("pause").onclick = function () {
      if (synth.paused) { synth.resume(); show("正在朗读"); } else { synth.pause(); show("已暂停"); }
    };
    button("stop").onclick = function () {
      queue = [];
      speaking = false;
      synth.cancel();
      show("");
    };
  }

  offer();
  if (controls.hidden && "onvoiceschanged" in synth) synth.addEventListener("voiceschanged", offer);
  window.addEventListener("pagehide", function () { synth.cancel(); });
})();
