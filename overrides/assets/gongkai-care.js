// 适老化 and 无障碍 settings: larger text (150%, 200%), high contrast, a large pointer and a
// simplified layout. Loaded in <head> so the saved settings apply before the page is drawn;
// kept in localStorage, so they hold on every page of the site and on the next visit.
(function () {
  "use strict";
  var KEY = "gongkai.care";
  var root = document.documentElement;
  // Before the page is drawn: the settings show only where they work, without moving the page.
  root.setAttribute("data-gk-js", "");

  function load() {
    try {
      return JSON.parse(localStorage.getItem(KEY)) || {};
    } catch (error) {
      return {};
    }
  }

  function save(settings) {
    try {
      localStorage.setItem(KEY, JSON.stringify(settings));
    } catch (error) {
      // private browsing: the settings last for this page only
    }
  }

  function apply(settings) {
    if (settings.size === "150" || settings.size === "200") root.setAttribute("data-gk-size", settings.size);
    else root.removeAttribute("data-gk-size");
    ["contrast", "cursor", "simple"].forEach(function (name) {
      if (settings[name]) root.setAttribute("data-gk-" + name, "");
      else root.removeAttribute("data-gk-" + name);
    });
  }

  function read(form) {
    var size = form.querySelector("input[name=size]:checked");
    return {
      size: size ? size.value : "",
      contrast: form.elements.contrast.checked,
      cursor: form.elements.cursor.checked,
      simple: form.elements.simple.checked
    };
  }

  function show(form, settings) {
    form.querySelectorAll("input[name=size]").forEach(function (input) {
      input.checked = input.value === (settings.size || "");
    });
    ["contrast", "cursor", "simple"].forEach(function (name) {
      form.elements[name].checked = Boolean(settings[name]);
    });
  }

  apply(load());

  document.addEventListener("DOMContentLoaded", function () {
    var control = document.querySelector(".gk-care");
    if (!control) return;
    var form = control.querySelector("form");
    show(form, load());
    form.addEventListener("change", function () {
      var settings = read(form);
      save(settings);
      apply(settings);
    });
    form.addEventListener("reset", function () {
      setTimeout(function () {  // after the browser has reset the inputs
        save({});
        apply({});
      });
    });
  });
})();
