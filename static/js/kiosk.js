// Près d'ici kiosk mode (issue 11): loaded only on a kiosk. Everything a visitor did is wiped by
// « Terminer » or after the idle countdown; every step replaces the page in history, so the back
// gesture never shows the previous person's answers; links that would leave the app become text.
(function () {
  "use strict";
  var bar = document.getElementById("kiosk");
  if (!bar) return;
  var IDLE = Number(bar.dataset.idle) * 1000;
  var COUNTDOWN = Number(bar.dataset.countdown);
  var idleTimer = null;
  var tick = null;

  // The whole session lives in one history entry.
  function go(url) { window.location.replace(url); }

  function sameApp(url) {
    return url.origin === window.location.origin;
  }

  // Links that leave the app (portals, OpenStreetMap, geo: maps apps) are shown as plain text.
  function neutralise(root) {
    root.querySelectorAll("a[href]").forEach(function (a) {
      var url = new URL(a.getAttribute("href"), window.location.href);
      if (sameApp(url) && !a.target) return;
      var span = document.createElement("span");
      span.className = a.className.replace(/\bbutton\b/, "") + " kiosk-offsite";
      span.textContent = a.textContent;
      if (a.classList.contains("button")) { span.hidden = true; }  // a hand-off, not a fact
      a.replaceWith(span);
    });
  }

  function clearTraces() {
    try { window.localStorage.clear(); } catch (e) { /* storage may be off */ }
    try { window.sessionStorage.clear(); } catch (e) { /* idem */ }
    document.cookie.split(";").forEach(function (pair) {
      var name = pair.split("=")[0].trim();
      if (name) document.cookie = name + "=; Max-Age=0; path=/; SameSite=Lax";
    });
    document.querySelectorAll("form").forEach(function (form) { form.reset(); });
    // Pages the worker kept while this person browsed; the shell and the kept city stay, so the
    // kiosk still answers without network.
    if (!window.caches) return Promise.resolve();
    return caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (key) {
        return key.indexOf("presdici-pages-") === 0;
      }).map(function (key) { return caches.delete(key); }));
    }).catch(function () { /* nothing kept */ });
  }

  function reset() {
    window.clearTimeout(idleTimer);
    window.clearInterval(tick);
    clearTraces().then(function () { go(bar.dataset.reset); });
  }

  var dialog = document.getElementById("kiosk-idle");
  var count = document.getElementById("kiosk-count");

  function countdown() {
    var left = COUNTDOWN;
    count.textContent = String(left);
    if (dialog.showModal) dialog.showModal(); else dialog.setAttribute("open", "");
    tick = window.setInterval(function () {
      left -= 1;
      count.textContent = String(Math.max(left, 0));
      if (left <= 0) reset();
    }, 1000);
  }

  function awake() {
    if (tick !== null && dialog.open) return;      // only « Je suis là » closes the question
    window.clearTimeout(idleTimer);
    idleTimer = window.setTimeout(countdown, IDLE);
  }

  document.getElementById("kiosk-stay").addEventListener("click", function () {
    window.clearInterval(tick);
    tick = null;
    dialog.close();
    awake();
  });
  ["pointerdown", "touchstart", "keydown", "wheel"].forEach(function (type) {
    document.addEventListener(type, awake, { passive: true });
  });

  // « Terminer » and every link/form go through replace(), and « Terminer » wipes first.
  document.addEventListener("click", function (event) {
    var a = event.target.closest("a[href]");
    if (!a) return;
    event.preventDefault();
    var url = new URL(a.getAttribute("href"), window.location.href);
    if (url.pathname === new URL(bar.dataset.reset, window.location.href).pathname) reset();
    else if (sameApp(url)) go(url.href);
  });
  // The place picker POSTs (a typed address never enters a URL): its answer is fetched and
  // shown in this same history entry; a public place's answer comes back as a redirect to its
  // address, which replaces the page like any link.
  function post(form, submitter) {
    var body = new URLSearchParams(new FormData(form, submitter || undefined));
    fetch(form.action, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        if (response.redirected) { go(response.url); return null; }
        return response.text();
      })
      .then(function (html) {
        if (html === null) return;
        var next = new DOMParser().parseFromString(html, "text/html");
        var main = next.querySelector("main");
        if (!main) { go(window.location.href); return; }
        document.title = next.title;
        var phone = document.querySelector(".kiosk-phone");
        if (phone) phone.remove();
        document.querySelector("main").replaceWith(main);
        var nextPhone = next.querySelector(".kiosk-phone");
        if (nextPhone) main.after(nextPhone);
        setUp(main);
      })
      .catch(function () { go(window.location.href); });
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    event.preventDefault();
    if ((form.method || "get").toLowerCase() === "post") { post(form, event.submitter); return; }
    var url = new URL(form.action, window.location.href);
    url.search = new URLSearchParams(new FormData(form)).toString();
    go(url.href);
  });
  // No long-press menu or drag-out on a shared screen.
  document.addEventListener("contextmenu", function (event) { event.preventDefault(); });
  document.addEventListener("dragstart", function (event) { event.preventDefault(); });

  // The letter picker: a name is typed with on-screen keys, no keyboard needed.
  function keypad(input) {
    var keys = document.getElementById("kiosk-keys");
    var pad = document.createElement("div");
    pad.className = "keypad";
    pad.setAttribute("role", "group");
    pad.setAttribute("aria-label", keys.dataset.label);
    function key(label, text, action, wide) {
      var button = document.createElement("button");
      if (wide) button.className = "wide";
      button.type = "button";
      button.textContent = text;
      if (label) button.setAttribute("aria-label", label);
      button.addEventListener("click", function () {
        action();
        input.dispatchEvent(new Event("input", { bubbles: true }));
      });
      pad.appendChild(button);
    }
    Array.from(keys.dataset.letters).forEach(function (letter) {
      key(null, letter, function () { input.value += letter.toLowerCase(); });
    });
    key(null, keys.dataset.space, function () { input.value += " "; }, true);
    key(keys.dataset.erase, "⌫", function () { input.value = input.value.slice(0, -1); });
    input.setAttribute("inputmode", "none");           // no system keyboard over the answers
    // The keys appear when the box is touched (or at once when it is the page's only question),
    // so they do not push an answer down the screen.
    pad.hidden = Boolean(document.querySelector("main li.place, main article"));
    input.addEventListener("focus", function () { pad.hidden = false; });
    input.closest("form").appendChild(pad);
  }

  function setUp(root) {
    neutralise(root);
    root.querySelectorAll("form input[type=search], form input[type=text]").forEach(keypad);
  }

  document.addEventListener("DOMContentLoaded", function () {
    neutralise(document);
    setUp(document.querySelector("main"));
    // The attract screen with nothing on it waits quietly; a touch anywhere starts the clock.
    var fresh = window.location.pathname === new URL(bar.dataset.home, window.location.href).pathname
      && !document.cookie && !window.localStorage.length && !window.sessionStorage.length;
    if (!fresh) awake();
  });
})();
