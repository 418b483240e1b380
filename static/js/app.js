// Près d'ici: small progressive enhancements. The site works without this file.
// No inline code anywhere (strict CSP); htmx is configured by a <meta> in base.html.
(function () {
  "use strict";

  // Geolocation is asked only when the visitor presses the button, never on page load.
  function setUpLocate(root) {
    root.querySelectorAll(".js-locate").forEach(function (button) {
      if (!("geolocation" in navigator) || button.dataset.ready) return;
      button.dataset.ready = "1";
      button.hidden = false;
      var form = button.closest("form");
      var status = form.querySelector(".js-locate-status");
      // The position is not kept in the page once the request has left.
      form.addEventListener("htmx:afterRequest", function () {
        form.elements.lat.value = "";
        form.elements.lon.value = "";
      });
      button.addEventListener("click", function () {
        status.textContent = button.dataset.msgWaiting;
        button.disabled = true;
        navigator.geolocation.getCurrentPosition(function (pos) {
          // Rounded on the device: ~11 m is enough to find a place and tells less about you.
          form.elements.lat.value = pos.coords.latitude.toFixed(4);
          form.elements.lon.value = pos.coords.longitude.toFixed(4);
          status.textContent = "";
          button.disabled = false;
          form.requestSubmit();
        }, function () {
          button.disabled = false;
          status.textContent = button.dataset.msgDenied;
        }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
      });
    });
  }

  // WCAG 2.4.3: when a swap of #results removes the control that asked (a place or item link, a
  // form inside the answer), focus would fall to <body> and the next Tab would skip every result.
  // Focus then goes to the first heading of the part of the page that control sat in (found by
  // id, e.g. #dropoff), else of #results. Focus that is still somewhere else in the page (the
  // search box while results arrive as you type) is left where it is.
  var HEADINGS = "h1, h2, h3, h4, h5, h6";

  function regionOf(trigger, target) {
    // The detached control still knows its old ancestors: the first one with an id that the new
    // results have again is where the visitor was.
    for (var el = trigger; el; el = el.parentElement) {
      if (el.id) {
        var again = document.getElementById(el.id);
        if (again && target.contains(again)) return again;
      }
    }
    return null;
  }

  function keepFocus(event) {
    var target = event.target;               // afterSettle fires on each new element: act once
    if (!target || target.id !== "results") return;
    var active = document.activeElement;
    var lost = !active || active === document.body || !active.isConnected;
    // htmx puts focus back on a new element with the same id (the re-rendered search box at the
    // bottom of the card): that is not where the answer is.
    if (!lost && !target.contains(active)) return;
    // detail.elt becomes #results once the control is gone; the request still knows the control.
    var config = event.detail && event.detail.requestConfig;
    var trigger = (config && config.elt) || (event.detail && event.detail.elt);
    if (!lost && trigger && trigger.isConnected) return;
    var region = trigger && !trigger.isConnected ? regionOf(trigger, target) : null;
    var heading = (region && region.querySelector(HEADINGS)) || target.querySelector(HEADINGS) || target;
    if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
    heading.focus();
  }

  // Typing in a search box asks as you type: the server then replaces the address instead of
  // pushing one history entry per keystroke (webapp/rendering.py); a submit or a link pushes.
  document.addEventListener("htmx:configRequest", function (event) {
    var trigger = event.detail && event.detail.triggeringEvent;
    if (trigger && trigger.type === "input") event.detail.headers["X-Live-Search"] = "1";
  });

  // RGAA 7.5: #results is not a live region (search-as-you-type would read whole lists). After
  // each swap, its short summary ([data-announce], « 5 lieux près de … ») goes to the page's
  // role=status line, and only that is read.
  function announce(event) {
    var target = event.target;
    if (!target || target.id !== "results") return;
    var region = document.getElementById("announce");
    if (!region) return;
    var note = target.querySelector("[data-announce]");
    region.textContent = note ? note.textContent.trim() : "";
  }

  document.addEventListener("DOMContentLoaded", function () { setUpLocate(document); });
  document.addEventListener("htmx:afterSettle", announce);
  document.addEventListener("htmx:afterSettle", keepFocus);
  document.addEventListener("htmx:afterSettle", function (e) { setUpLocate(e.target); });
})();
