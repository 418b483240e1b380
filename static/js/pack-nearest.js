// Answers from a territory pack, computed on the device: the offline twin of
// webapp/spatial.py (same distances, same order) and of a task page's result lists.
// Every word shown comes from `text`, translated by the server (no language lives here).
const R = 6371008.8;                 // webapp/geo.py EARTH_RADIUS_M
const RAD = Math.PI / 180;
const WALK_M_PER_MIN = 4.5 * 1000 / 60;
const HERE_M = 15;                   // webapp/tasks/results.py HERE_M: no "0 m · 1 min"

/** Great-circle distance in metres: webapp/geo.py haversine_m, term for term. */
export function haversine(lat1, lon1, lat2, lon2) {
  const p1 = lat1 * RAD, p2 = lat2 * RAD;
  const dp = p2 - p1, dl = (lon2 - lon1) * RAD;
  const a = Math.sin(dp / 2) ** 2 + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Initial compass bearing, 0-360: webapp/geo.py bearing_deg. */
export function bearing(lat1, lon1, lat2, lon2) {
  const p1 = lat1 * RAD, p2 = lat2 * RAD, dl = (lon2 - lon1) * RAD;
  const x = Math.sin(dl) * Math.cos(p2);
  const y = Math.cos(p1) * Math.sin(p2) - Math.sin(p1) * Math.cos(p2) * Math.cos(dl);
  return ((Math.atan2(x, y) / RAD) % 360 + 360) % 360;
}

/** Distance from the origin to segment AB (plane, metres). */
function segmentDistance(ax, ay, bx, by) {
  const dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
  const t = len2 ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2)) : 0;
  return Math.hypot(ax + t * dx, ay + t * dy);
}

/** Distance to a shape's edge, 0 inside: the server's projection centred on the visitor. */
export function shapeDistance(shape, lat, lon) {
  const kx = RAD * R * Math.cos(lat * RAD), ky = RAD * R;
  const lines = shape.polys ? shape.polys.flat() : shape.lines;
  let best = Infinity, crossings = 0;
  for (const line of lines) {
    for (let i = 1; i < line.length; i++) {
      const ax = (line[i - 1][0] - lon) * kx, ay = (line[i - 1][1] - lat) * ky;
      const bx = (line[i][0] - lon) * kx, by = (line[i][1] - lat) * ky;
      best = Math.min(best, segmentDistance(ax, ay, bx, by));
      // Even-odd ray cast towards +x: holes and multipolygons need no special case.
      if ((ay > 0) !== (by > 0) && ax - ay * (bx - ax) / (by - ay) > 0) crossings++;
    }
  }
  return shape.polys && crossings % 2 ? 0 : best;
}

/** The k nearest places of a task (optionally of some categories), by distance then id. */
export function nearest(pack, task, lat, lon, categories, k) {
  const found = [];
  for (const ds of pack.datasets) {
    if (ds.task !== task) continue;
    for (const row of ds.places) {
      const category = pack.categories[row[2]];
      if (categories && !categories.includes(category)) continue;
      const metres = row[7] ? shapeDistance(row[7], lat, lon) : haversine(lat, lon, row[3], row[4]);
      found.push({ id: ds.id + ":" + row[0], metres, row, category,
                   bearing: bearing(lat, lon, row[3], row[4]) });
    }
  }
  found.sort(byDistance);
  return found.slice(0, k);
}

/** Nearest first, ties by id: SpatialIndex.nearest's order. */
function byDistance(a, b) {
  return a.metres - b.metres || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** A list's places. "broken: nearer" (webapp/tasks/cool_rows.py water_rows): the k nearest
 * working places, plus out-of-service ones (row[8]) nearer than the k-th working one. */
export function listHits(pack, task, list, lat, lon) {
  if (list.broken !== "nearer") return nearest(pack, task, lat, lon, list.categories, list.k);
  const all = nearest(pack, task, lat, lon, list.categories, Infinity);
  const working = all.filter((hit) => !hit.row[8]).slice(0, list.k);
  const reach = working.length === list.k ? working[list.k - 1].metres : Infinity;
  const broken = all.filter((hit) => hit.row[8] && hit.metres <= reach).slice(0, list.k);
  return working.concat(broken).sort(byDistance);
}

/** Fill "%(name)s" / "%(name)d" placeholders. */
export function fill(message, values) {
  return message.replace(/%\((\w+)\)[sd]/g, (m, key) => values[key]);
}

/** "80 m", "1,2 km": webapp/filters.py distance(). */
export function distanceText(metres, text, lang) {
  const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
  if (metres < 1000) {
    const shown = metres >= 50 ? Math.max(0, Math.round(metres / 5) * 5) : Math.round(metres);
    return fill(text.m, { m: number.format(shown) });
  }
  return fill(text.km, { km: number.format(Math.round(metres / 100) / 10) });
}

/** A published ISO date as a medium date in the page's language. */
export function dayText(iso, text, lang) {
  if (!iso) return text.unknownDate;
  const [y, m, d] = iso.slice(0, 10).split("-").map(Number);
  return new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeZone: "UTC" })
    .format(new Date(Date.UTC(y, m - 1, d)));
}

/** An element with a class and text. */
function el(tag, className, content) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (content !== undefined) node.textContent = content;
  return node;
}

/** The geo: URI of webapp/tasks/results.py (quote() also escapes !'()*). */
function geoUri(row, name) {
  const point = row[3].toFixed(6) + "," + row[4].toFixed(6);
  const label = encodeURIComponent(name || "").replace(/[!'()*]/g,
    (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
  return "geo:" + point + "?q=" + point + (label ? "(" + label + ")" : "");
}

/** The "ban" pictogram as webapp/pictos.py inlines it (Lucide): emoji are boxes on Debian. */
function banIcon() {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  const attrs = { class: "icon", "aria-hidden": "true", focusable: "false", viewBox: "0 0 24 24",
    fill: "none", stroke: "currentColor", "stroke-width": "2", "stroke-linecap": "round",
    "stroke-linejoin": "round" };
  Object.entries(attrs).forEach(([name, value]) => svg.setAttribute(name, value));
  const circle = document.createElementNS(ns, "circle");
  [["cx", "12"], ["cy", "12"], ["r", "10"]].forEach(([n, v]) => circle.setAttribute(n, v));
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", "M4.929 4.929 19.07 19.071");
  svg.append(circle, path);
  return svg;
}

/** Out of service, said as templates/cool/_row.html says it: a fountain's reason and date. */
function outLine(hit, text, lang) {
  const [reason, since] = hit.row[8];
  const line = el("p", "state state-closed");
  line.append(banIcon(), " ");
  if (hit.category !== "fountain") {
    line.append(el("strong", "", text.switchedOff));
    return line;
  }
  line.append(el("strong", "", text.outOfService),
    " : " + (text.outReasons[reason] || text.outReasons.other));
  if (since) line.append(" · " + fill(text.since, { date: dayText(since, text, lang) }));
  return line;
}

/** One result row, shaped like the server's (name or label, distance, walking time, address). */
function placeItem(hit, first, text, lang) {
  const row = hit.row, kinds = text.kinds || {};
  const item = el("li", "place" + (first ? " first" : ""));
  item.dataset.placeId = hit.id;
  item.dataset.metres = hit.metres.toFixed(2);
  const title = el("h3");
  if (first) title.append(el("span", "badge", text.nearest), " ");
  title.append(row[1] || kinds[row[6]] || text.kindOther || text.categories[hit.category]
    || hit.category);
  const distance = el("p", "distance");
  const minutes = Math.max(1, Math.ceil(hit.metres / WALK_M_PER_MIN));
  if (hit.metres < HERE_M) {
    distance.append(el("strong", "", text.here));
  } else {   // templates/components/place.html distance_line: "40 m au nord · 1 min à pied"
    const towards = text.directions[Math.floor((hit.bearing + 22.5) / 45) % 8];
    distance.append(el("strong", "", distanceText(hit.metres, text, lang)),
      " " + towards + " · " + fill(text.walk, { n: minutes }));
  }
  item.append(title, distance);
  if (row[8]) {
    item.dataset.state = "closed";
    item.append(outLine(hit, text, lang));
  }
  if (row[5]) item.append(el("p", "address", row[5]));
  const maps = el("a", "button go", text.go);
  maps.href = geoUri(row, row[1]);
  const handoff = el("p", "handoff");
  handoff.append(maps);
  item.append(handoff);
  return item;
}

/** One list of a task page: the main ordered list, or a titled side section. */
function listBlock(pack, task, list, lat, lon, text, lang) {
  const hits = listHits(pack, task, list, lat, lon);
  const items = el(list.main ? "ol" : "ul", list.main ? "places" : "places compact");
  hits.forEach((hit, i) => items.append(placeItem(hit, list.main && i === 0, text, lang)));
  if (list.main) return hits.length ? items : el("p", "notice", text.none);
  if (!hits.length) return null;
  const section = el("section", "side");
  const title = (text.titles || {})[list.title] || text.categories[list.categories[0]];
  section.append(el("h2", "", title || list.categories[0]), items);
  return section;
}

/** The source lines of a task's datasets. */
function sources(pack, task, text, lang) {
  const box = el("div", "sources");
  pack.datasets.filter((ds) => ds.task === task).forEach((ds) => {
    const line = el("p", "source", text.source + " ");
    const link = el("a", "", ds.attribution);
    link.href = ds.page;
    link.rel = "noreferrer";
    line.append(link, ", " + ds.licence + " — " + fill(text.dataOf, { date: dayText(ds.date, text, lang) }));
    box.append(line);
  });
  return box;
}

/** Every list of a task page for {lat, lon[, categories]}, as a fragment to put in #results. */
export function answer(pack, task, position, text, lang) {
  const { lat, lon, categories } = position;
  const fragment = document.createDocumentFragment();
  fragment.append(el("h2", "near", text.near), el("p", "notice offline-note", text.computed));
  if (text.caveat) fragment.append(el("p", "notice", text.caveat));
  for (const list of pack.tasks[task].lists) {
    // categories: the page's own choice replaces the main list's (side lists only without one).
    if (categories && !list.main) continue;
    const chosen = categories ? { ...list, categories } : list;
    const block = listBlock(pack, task, chosen, lat, lon, text, lang);
    if (block) fragment.append(block);
  }
  fragment.append(sources(pack, task, text, lang));
  return fragment;
}
