// « Où jeter ? » offline: an item typed is looked up in the kept city's list of item names
// (webapp/pack.py sorting_content) and leads to its stream page, kept with the city.
// Simpler than the server's search (webapp/sorting/search.py): the words of the query, or their
// beginnings, in any order; accents, case, plurals and small words ignored; no typo tolerance.
const STOPWORDS = new Set(("a au aux avec ce d de des du en et l la le les ma mes mon ou pour " +
  "sans sur un une vieil vieille vieilles vieux usage usagee usagees usages " +
  "an and for my of old the used").split(" "));

/** webapp/text.py fold: "Gare d'Échirolles" -> "gare d echirolles". */
export function fold(text) {
  return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
    .replace(/œ/g, "oe").replace(/æ/g, "ae").replace(/[^0-9a-z]+/g, " ").trim();
}

/** webapp/sorting/search.py stem: a crude singular ("journaux" -> "journal"). */
function stem(word) {
  if (/eaux$/.test(word)) return word.replace(/eaux$/, "eau");
  if (/yaux$/.test(word)) return word.replace(/yaux$/, "yau");
  if (/aux$/.test(word)) return word.replace(/aux$/, "al");
  return word.replace(/^(.{3,})[sx]$/, "$1");
}

/** The meaningful, singular words of a text (webapp/sorting/search.py normalise). */
export function words(text) {
  const all = fold(text.slice(0, 320)).split(" ").filter(Boolean);
  const kept = all.filter((w) => !STOPWORDS.has(w));
  return (kept.length ? kept : all).map(stem);
}

/** The items whose name holds every word of the query (or a word starting with it): the name
 *  itself first, then names starting with the query, common items, shorter names. */
export function findItems(sorting, query, limit = 6) {
  const asked = words(query);
  if (!asked.length) return [];
  const phrase = asked.join(" ");
  const found = [];
  sorting.items.forEach(([name, stream], i) => {
    const own = words(name);
    if (!asked.every((q) => own.some((w) => w.startsWith(q)))) return;
    const joined = own.join(" ");
    const rank = joined === phrase ? 0 : joined.startsWith(phrase) ? 1 : 2;
    found.push({ name, stream: sorting.streams[stream], rank, common: i < sorting.common, i });
  });
  found.sort((a, b) => a.rank - b.rank || b.common - a.common
    || a.name.length - b.name.length || a.i - b.i);
  return found.slice(0, limit);
}

/** The slug the server gives an item (webapp/sorting/knowledge.py), to read ?choix= offline. */
export function slug(name) {
  return fold(name).replace(/ /g, "-");
}

/** The list of items found, each a plain link to its stream page (kept with the city). */
export function itemList(found, action, text) {
  const list = document.createElement("ul");
  list.className = "choices items offline-items";
  for (const item of found) {
    const li = document.createElement("li");
    const link = document.createElement("a");
    link.href = action + "?flux=" + encodeURIComponent(item.stream);
    link.textContent = item.name;
    const stream = document.createElement("span");
    stream.className = "muted";
    stream.textContent = " — " + (text.streams[item.stream] || item.stream);
    li.append(link, stream);
    list.append(li);
  }
  return list;
}
