"""« Au frais » result rows as HTML: each place's pieces from the card cache, the visitor's added."""
from __future__ import annotations

from markupsafe import Markup, escape

from ..cards import cached
from ..filters import distance_line
from . import cool_labels


def cool_list(data, rows, start: int, at, text, hours_known, name, rest) -> Markup:
    """The rows numbered from start + 1, as `<li>`: the name and the rest of each card (macros
    of cool/_row.html) drawn once per snapshot, language, place and what the rest shows (hours
    state, next change, day, heat-wave override); the number, the distance and the data
    attributes the map reads are added here, for this visitor (issue 12: a Jinja loop with two
    `{% call card %}` blocks per row cost more than the cached HTML it returned)."""
    items = []
    for n, r in enumerate(rows, start + 1):
        place = r.place
        # The map names a nameless place by its kind (a translation: only looked up then).
        label = place.name or cool_labels.kind(place.attrs.get("kind"))[1]
        title = cached("cool.name", data, place, (), lambda: name(r))
        body = cached("cool.rest", data, place,
                      (r.state, r.status.next_change if r.status else None, at.date(), r.tonight,
                       r.override, r.hours, hours_known),
                      lambda: rest(r, data, at, text, hours_known))
        items.append(
            f'<li class="place cool-place" data-place-id="{escape(place.id)}" '
            f'data-lat="{place.lat:.6f}" data-lon="{place.lon:.6f}" data-n="{n}" '
            f'data-category="{escape(place.category)}" data-name="{escape(label)}" '
            f'data-state="{escape(r.state)}">\n'
            f'  <h3><span class="num" aria-hidden="true">{n}</span> {title}\n'
            f'  {distance_line(r, slow=r.speed_kmh < 4)}\n  {body}\n</li>\n')
    return Markup("".join(items))     # plain joins: Markup's % escapes through a helper per value


def init_app(app) -> None:
    """The assembler and the labels its macros read (imported without the page's context)."""
    app.jinja_env.globals.update(cool_list=cool_list, labels_cool=cool_labels)
