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

  document.addEventListener("DOMContentLoaded", function () { setUpLocate(document); });
  document.addEventListener("htmx:afterSettle", function (e) { setUpLocate(e.target); });
})();
