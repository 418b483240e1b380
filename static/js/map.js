// « Au frais » map: the places of the list, numbered the same way. Nothing is loaded and no
// tile is asked for until the visitor presses the button; the list stays complete and first.
// Leaflet is vendored (static/vendor/leaflet) and loaded on demand; it styles through the
// CSSOM, which the strict CSP allows (no inline style attribute is written by this file).
//
// The device position is never written into the page (shared kiosks): this file keeps the one
// just sent by the "use my position" form in a variable, adds it to the filters form when that
// form is sent, and draws it on the map. Choosing a place by name forgets it; so does leaving
// or reloading the page.
(function () {
  "use strict";
  // Tiles are chosen around the result places, never around the visitor, and at most at this
  // zoom (a tile is about 1 km wide): the tile server learns a neighbourhood, not a street.
  var MAX_FIT_ZOOM = 15;
  var leafletLoading = null;
  var maps = [];
  var position = null;   // { lat, lon } of the last "use my position" request, in memory only

  // Every htmx request of the page goes through here before it is built.
  document.addEventListener("htmx:configRequest", function (e) {
    var elt = e.detail.elt;
    var form = elt && elt.closest ? elt.closest("form") : null;
    var fields = form ? form.elements : {};
    if (form && form.classList.contains("locate") && fields.lat && fields.lat.value) {
      position = { lat: fields.lat.value, lon: fields.lon.value };
    } else if (form && form.classList.contains("cool-filters") &&
               form.dataset.position === "device") {
      if (position) {
        e.detail.parameters.lat = position.lat;
        e.detail.parameters.lon = position.lon;
      }
    } else {
      position = null;   // another starting point (a name, a listed place): forget the device's
    }
  });

  function loadLeaflet(box) {
    if (window.L) return Promise.resolve(window.L);
    if (leafletLoading) return leafletLoading;
    leafletLoading = new Promise(function (resolve, reject) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = box.dataset.leafletCss;
      document.head.appendChild(css);
      var script = document.createElement("script");
      script.src = box.dataset.leafletJs;
      script.onload = function () { resolve(window.L); };
      script.onerror = function () { leafletLoading = null; reject(new Error("leaflet")); };
      document.head.appendChild(script);
    });
    return leafletLoading;
  }

  function numberedIcon(L, item) {
    var kind = item.dataset.state === "open" ? " is-open" : "";
    return L.divIcon({ className: "map-pin" + kind, html: "<span>" + item.dataset.n + "</span>",
                       iconSize: [32, 32], iconAnchor: [16, 16] });
  }

  function draw(L, box, root) {
    var items = root.querySelectorAll(".cool-place[data-lat]");
    if (!items.length) return null;   // no place, no map (the server offers none then)
    var map = L.map(box, { scrollWheelZoom: false });
    L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: box.dataset.attribution }).addTo(map);
    var points = [];
    items.forEach(function (item) {
      var at = [parseFloat(item.dataset.lat), parseFloat(item.dataset.lon)];
      points.push(at);
      L.marker(at, { icon: numberedIcon(L, item), title: item.dataset.n + ". " + item.dataset.name,
                     alt: item.dataset.n + ". " + item.dataset.name })
        .bindPopup(document.createTextNode(item.dataset.n + ". " + item.dataset.name)).addTo(map);
    });
    // The starting point is drawn here, on the device; it never decides which tiles are asked.
    var here = box.dataset.originLat ? [box.dataset.originLat, box.dataset.originLon]
      : position ? [position.lat, position.lon] : null;
    if (here) {
      L.circleMarker([parseFloat(here[0]), parseFloat(here[1])], { radius: 8, weight: 3 })
        .bindTooltip(box.dataset.here).addTo(map);
    }
    map.fitBounds(points, { padding: [24, 24], maxZoom: MAX_FIT_ZOOM });
    maps.push(map);
    return map;
  }

  function setUp(root) {
    root.querySelectorAll(".js-map-toggle").forEach(function (button) {
      if (button.dataset.ready) return;
      button.dataset.ready = "1";
      button.hidden = false;
      var box = document.getElementById(button.getAttribute("aria-controls"));
      var label = button.querySelector(".js-map-label");
      var map = null;
      button.addEventListener("click", function () {
        var opening = box.hidden;
        box.hidden = !opening;
        button.setAttribute("aria-expanded", String(opening));
        label.textContent = opening ? button.dataset.labelHide : button.dataset.labelShow;
        if (!opening) return;
        loadLeaflet(box).then(function (L) {
          if (!map) map = draw(L, box, box.closest("#results") || document);
          else map.invalidateSize();
        }).catch(function () { box.hidden = true; });
      });
    });
  }

  // A new list replaces the old map: free it before htmx swaps the results.
  document.addEventListener("htmx:beforeSwap", function () {
    maps.forEach(function (map) { map.remove(); });
    maps = [];
  });
  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  document.addEventListener("htmx:afterSettle", function (e) { setUp(e.target); });
})();
