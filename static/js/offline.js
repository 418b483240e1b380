// Près d'ici offline layer: registers the service worker, keeps a city's pack on the device,
// shows the offline state, and answers "near me" from the pack when the network is away.
// An enhancement only: without it (or without service workers) the site works as before.
import { answer, dayText, fill } from "./pack-nearest.js";
import { findItems, itemList, slug } from "./pack-items.js";

const CITY = "presdici-city-";
const root = document.querySelector(".offline-state");
// Translated words, rendered by the server into an attribute (no inline script at all).
const text = root ? JSON.parse(root.dataset.text) : {};
const lang = document.documentElement.lang;
let pending = null;   // the position of the request in flight, in memory only, never stored

/** A control of the offline area. */
function part(name) {
  return root.querySelector(".js-" + name);
}

/** This city's cache, where its pack and pages are kept. */
function cityCache() {
  return caches.open(CITY + root.dataset.territory);
}

/** The stored pack, parsed, with its size in bytes; null when this city is not kept. */
async function storedPack() {
  const hit = await (await cityCache()).match(root.dataset.pack);
  if (!hit) return null;
  const body = await hit.text();
  return { pack: JSON.parse(body), bytes: new Blob([body]).size };
}

/** Show what is kept and offer what can be done with it. */
async function showPack(message) {
  const stored = await storedPack();
  const info = part("pack-info");
  if (stored) {
    const dates = stored.pack.datasets.map((ds) => ds.date).filter(Boolean).sort();
    const kb = new Intl.NumberFormat(lang).format(Math.round(stored.bytes / 1024));
    const first = dayText(dates[0], text, lang), last = dayText(dates[dates.length - 1], text, lang);
    info.textContent = fill(first === last ? text.asOf : text.asOfRange, { city: root.dataset.city,
      date: first, first, last, size: fill(text.kb, { kb }) });
  } else {
    info.textContent = "";
  }
  const outdated = stored && stored.pack.version !== root.dataset.version && navigator.onLine;
  part("keep").hidden = Boolean(stored);
  part("refresh").hidden = !outdated;
  part("remove").hidden = !stored;
  part("pack-status").textContent = message || (outdated ? text.packUpdate : "");
}

/** Download the pack and this city's pages into the city's cache. */
async function keep() {
  part("pack-status").textContent = text.saving;
  try {
    const cache = await cityCache();
    const response = await fetch(root.dataset.pack, { cache: "no-cache" });
    if (!response.ok) throw new Error(String(response.status));
    const pack = await response.clone().json();
    await cache.put(root.dataset.pack, response);
    await cache.addAll(pack.pages);
    await showPack(text.saved);
  } catch (error) {
    await showPack(text.failed);
  }
}

/** Forget this city's offline data. */
async function remove() {
  await caches.delete(CITY + root.dataset.territory);
  await showPack(text.removed);
}

/** A calm message in the results area. */
function say(target, message) {
  const box = document.createElement("div");
  box.className = "notice error";
  box.setAttribute("role", "alert");
  box.append(document.createElement("p"));
  box.firstChild.textContent = message;
  target.replaceChildren(box);
}

/** Answer from the pack; the position stays in this function and the page it renders. */
async function answerOffline(position) {
  const target = document.querySelector("#results");
  const stored = root.dataset.task && await storedPack();
  if (!stored || !stored.pack.tasks[root.dataset.task]) return say(target, text.noPack);
  const [west, south, east, north] = stored.pack.territory.bbox;
  const { lat, lon } = position;
  // The server's check (webapp/geo.py parse_position, margin 0.05°), so both refuse alike.
  if (!(south - 0.05 <= lat && lat <= north + 0.05 && west - 0.05 <= lon && lon <= east + 0.05)) {
    return say(target, text.outside);
  }
  target.replaceChildren(answer(stored.pack, root.dataset.task, position, text, lang));
}

/** « Où jeter ? » offline: the items matching what is typed, each leading to its stream page. */
async function itemsOffline(form) {
  const target = document.querySelector("#results");
  const stored = await storedPack();
  if (!stored || !stored.pack.sorting) return say(target, text.noPack);
  const query = form.elements.objet.value;
  const found = findItems(stored.pack.sorting, query);
  if (!found.length) return say(target, query.trim() ? text.noItem : text.found);
  const note = document.createElement("p");
  note.className = "notice";
  note.textContent = text.found;
  target.replaceChildren(note, itemList(found, form.getAttribute("action"), text));
  const region = document.getElementById("announce");
  if (region) region.textContent = text.found;
}

/** A « Où jeter ? » page opened offline falls back to the bare page (the worker never keeps
 *  answers): the item asked in its address (?objet= or ?choix=) is looked up here instead. */
async function restoreItem() {
  const form = document.querySelector("form.item-search");
  if (!form || navigator.onLine) return;
  const params = new URLSearchParams(location.search);
  let asked = params.get("objet");
  if (!asked && params.get("choix")) {
    const stored = await storedPack();
    const items = stored && stored.pack.sorting ? stored.pack.sorting.items : [];
    const hit = items.find(([name]) => slug(name) === params.get("choix").replace(/-\d+$/, ""));
    asked = hit ? hit[0] : null;
  }
  if (!asked || form.elements.objet.value) return;
  form.elements.objet.value = asked;
  await itemsOffline(form);
}

/** Offline, a place cannot be searched by name; the position button is offered if it is there. */
function noSearch(form) {
  const locate = form && form.closest(".origin") && form.closest(".origin").querySelector(".js-locate");
  const offered = locate && !locate.hidden;
  say(document.querySelector("#results"), text.noSearch + (offered ? " " + text.useLocate : ""));
}

/** Before htmx sends: remember a position; offline, answer here and send nothing. */
function beforeRequest(event) {
  const form = event.target.closest && event.target.closest("form");
  if (!form) return;
  if (form.classList.contains("locate") && form.elements.lat.value) {
    // A page whose list depends on a choice (a sorting stream) names its categories here.
    const only = form.dataset.offlineCategories;
    pending = { lat: Number(form.elements.lat.value), lon: Number(form.elements.lon.value),
      categories: only ? only.split(" ") : null };
    if (!navigator.onLine) {
      event.preventDefault();
      form.elements.lat.value = form.elements.lon.value = "";
      answerOffline(pending);
      pending = null;
    }
  } else if (form.classList.contains("pick") && !navigator.onLine) {
    event.preventDefault();
    noSearch(form);
  } else if (form.classList.contains("item-search") && !navigator.onLine) {
    event.preventDefault();
    itemsOffline(form);
  }
}

/** The request could not leave (a dead network the browser thinks is up): same fallback. */
function sendError(event) {
  const form = event.target && event.target.closest && event.target.closest("form");
  if (pending) answerOffline(pending);
  else if (form && form.classList.contains("item-search")) itemsOffline(form);
  else noSearch(form);
  pending = null;
}

/** Watch the worker: a new version waiting is offered, and taken only on the visitor's word. */
function watchWorker(registration) {
  // A first install has no controller yet: nothing to replace, nothing to offer.
  const offer = () => {
    part("sw-update").hidden = !(registration.waiting && navigator.serviceWorker.controller);
  };
  offer();
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    worker.addEventListener("statechange", () => { if (worker.state === "installed") offer(); });
  });
  let accepted = false;
  part("sw-update").addEventListener("click", () => {
    accepted = true;
    if (registration.waiting) registration.waiting.postMessage("activate");
  });
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (accepted) window.location.reload();
  });
}

/** Online or offline, said in words (not only a colour). */
function showNetwork() {
  part("net").textContent = navigator.onLine ? text.online : text.offline;
  root.classList.toggle("is-offline", !navigator.onLine);
  if (root.dataset.territory) showPack();
}

async function start() {
  if (!root || !("serviceWorker" in navigator) || !("caches" in window)) return;
  root.hidden = false;
  window.addEventListener("online", showNetwork);
  window.addEventListener("offline", showNetwork);
  showNetwork();
  if (root.dataset.territory) {
    part("keep").addEventListener("click", keep);
    part("refresh").addEventListener("click", keep);
    part("remove").addEventListener("click", remove);
  }
  document.addEventListener("htmx:beforeRequest", beforeRequest);
  document.addEventListener("htmx:sendError", sendError);
  document.addEventListener("htmx:afterOnLoad", () => { pending = null; });
  restoreItem();
  watchWorker(await navigator.serviceWorker.register(root.dataset.sw, { scope: "/" }));
}

start();
