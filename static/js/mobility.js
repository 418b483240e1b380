// « Se déplacer »: the page works without this file (plain forms, POST). With it: "my position"
// and "pick on the map" for a new place, the plan rebuilt from a shared link's fragment, the
// plan kept on this device only when the person asks, a map of what is reachable, printing.
// The profile never goes into a URL the browser sends: only into POST bodies, the fragment of
// a shared link (never sent), and localStorage when asked.
(function () {
  "use strict";
  var FRAGMENT = "#plan=";
  var MAX_FIT_ZOOM = 15;     // tiles show a neighbourhood, never a street
  var leafletLoading = null;

  function submitWith(form, action) {
    var button = form.querySelector("button[name=action][value=" + action + "]");
    if (form.requestSubmit && button) form.requestSubmit(button);
    else form.submit();
  }

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

  function setPoint(form, lat, lon, source) {
    form.querySelector(".js-add-lat").value = lat.toFixed(4);
    form.querySelector(".js-add-lon").value = lon.toFixed(4);
    form.querySelector(".js-add-source").value = source;
  }

  function setUpPosition(form) {
    var button = form.querySelector(".js-add-here");
    if (!button || !("geolocation" in navigator)) return;
    var status = form.querySelector(".js-add-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = button.dataset.msgWaiting;
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(function (pos) {
        setPoint(form, pos.coords.latitude, pos.coords.longitude, "position");
        button.disabled = false;
        submitWith(form, "ajouter");
      }, function () {
        button.disabled = false;
        status.textContent = button.dataset.msgDenied;
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }

  function setUpPicker(form) {
    var button = form.querySelector(".js-pick-map");
    if (!button) return;
    var box = document.getElementById(button.getAttribute("aria-controls"));
    var status = form.querySelector(".js-add-status");
    var map = null, marker = null;
    button.hidden = false;
    button.addEventListener("click", function () {
      var opening = box.hidden;
      box.hidden = !opening;
      button.setAttribute("aria-expanded", String(opening));
      if (!opening) return;
      loadLeaflet(box).then(function (L) {
        if (map) { map.invalidateSize(); return; }
        var center = box.dataset.center.split(",").map(parseFloat);
        map = L.map(box).setView(center, 13);
        L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: box.dataset.attribution }).addTo(map);
        map.on("click", function (e) {
          setPoint(form, e.latlng.lat, e.latlng.lng, "carte");
          if (marker) marker.setLatLng(e.latlng);
          else marker = L.circleMarker(e.latlng, { radius: 9, weight: 3 }).addTo(map);
          status.textContent = box.dataset.msgPicked;
        });
      }).catch(function () { box.hidden = true; });
    });
  }

  // Kept on this device only when the person ticks the box; unticking or "forget" removes it.
  function setUpKeep(form) {
    var keep = form.querySelector(".js-keep");
    var key = form.dataset.storageKey;
    var store;
    try { store = window.localStorage; store.getItem(key); } catch (e) { return; }
    var box = keep.querySelector(".js-keep-box");
    var forget = keep.querySelector(".js-forget");
    var restore = keep.querySelector(".js-restore");
    var status = keep.querySelector(".js-keep-status");
    var encoded = form.dataset.encoded;
    var kept = store.getItem(key);
    keep.hidden = false;
    if (kept && encoded) store.setItem(key, encoded);       // the kept plan follows its changes
    box.checked = Boolean(kept);
    box.parentElement.hidden = !encoded;
    forget.hidden = !kept;
    restore.hidden = !(kept && !encoded);
    box.addEventListener("change", function () {
      if (box.checked) store.setItem(key, encoded);
      else store.removeItem(key);
      forget.hidden = !box.checked;
      status.textContent = box.checked ? keep.dataset.msgKept : keep.dataset.msgForgotten;
    });
    forget.addEventListener("click", function () {
      store.removeItem(key);
      box.checked = false;
      forget.hidden = true;
      restore.hidden = true;
      status.textContent = keep.dataset.msgForgotten;
    });
    restore.addEventListener("click", function () {
      form.querySelector(".js-shared").value = store.getItem(key) || "";
      submitWith(form, "plan");
    });
  }

  // A shared link: the plan is after "#", which the browser never sends; POST it to build the page.
  function fromFragment(form) {
    if (location.hash.indexOf(FRAGMENT) !== 0 || form.dataset.encoded) return;
    form.querySelector(".js-shared").value = location.hash.slice(FRAGMENT.length);
    submitWith(form, "plan");
  }

  function setUpReachMap() {
    var button = document.querySelector(".js-reach-map");
    if (!button) return;
    var box = document.getElementById(button.getAttribute("aria-controls"));
    var label = button.querySelector(".js-map-label");
    var map = null;
    button.hidden = false;
    button.addEventListener("click", function () {
      var opening = box.hidden;
      box.hidden = !opening;
      button.setAttribute("aria-expanded", String(opening));
      label.textContent = opening ? box.dataset.labelHide : box.dataset.labelShow;
      if (!opening) return;
      loadLeaflet(box).then(function (L) {
        if (map) { map.invalidateSize(); return; }
        map = L.map(box, { scrollWheelZoom: false });
        L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: box.dataset.attribution }).addTo(map);
        var points = [];
        document.querySelectorAll(".opportunity[data-lat]").forEach(function (item, i) {
          var at = [parseFloat(item.dataset.lat), parseFloat(item.dataset.lon)];
          points.push(at);
          L.circleMarker(at, { radius: 7, weight: 2 })
            .bindTooltip(document.createTextNode((i + 1) + ". " + item.dataset.name)).addTo(map);
        });
        map.fitBounds(points, { padding: [24, 24], maxZoom: MAX_FIT_ZOOM });
      }).catch(function () { box.hidden = true; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector(".mobility-form");
    if (!form) return;
    setUpPosition(form);
    setUpPicker(form);
    setUpKeep(form);
    setUpReachMap();
    document.querySelectorAll(".js-print").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
    fromFragment(form);
  });
})();
