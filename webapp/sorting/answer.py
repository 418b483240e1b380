"""Read what the visitor asked (an item typed or chosen, or a stream) into an Answer."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..translation import lazy_gettext as _l

from .knowledge import Item
from .search import MAX_QUERY
from .taxonomy import STREAMS, Stream

MESSAGES = {
    "too_long": _l("Ce texte est trop long (%(max)d caractères au plus). Tapez juste le nom "
                   "de l'objet.", max=MAX_QUERY),
    "no_match": _l("Nous ne connaissons pas cet objet. Vérifiez l'orthographe ou essayez un "
                   "mot plus simple."),
    "unknown_item": _l("Cet objet est inconnu. Cherchez-le par son nom."),
    "unknown_stream": _l("Cette filière est inconnue. Choisissez-en une dans la liste."),
}
# A best guess is shown as the answer when its name matches this well and clearly better than
# every other name (by LEAD points of match, bonuses aside), or when it is the only one left.
# Names matching equally well ("pot", "bouteille", "huile") ask « Quel objet ? », unless they all
# lead to the same stream and one is a common item ("piles": single-use before rechargeable).
CONFIDENT = 80.0
LEAD = 2.0
ALONE = 70.0
CHOICES = 6           # « Quel objet ? » offers the likely few, not a page of them

@dataclass
class Answer:
    """An item and its stream, a stream alone, candidates to choose from, or a message."""

    query: str = ""
    item: Item | None = None
    stream: Stream | None = None
    candidates: list[Item] = field(default_factory=list)
    error: str | None = None
    status: int = 200

    @property
    def message(self) -> str | None:
        """The translated message for the error, if any."""
        return str(MESSAGES[self.error]) if self.error else None

    def keep(self) -> dict[str, str]:
        """Query-string parameters that bring back this answer (to carry into other forms)."""
        if self.item:
            return {"choix": self.item.id}
        return {"flux": self.stream.id} if self.stream else {}


def _clip(value: str | None) -> str:
    """A request value cut to a sane length before any lookup."""
    return (value or "")[:200]


def read_answer(guide, args) -> Answer:
    """Interpret choix (an item id), flux (a stream id) or objet (free text)."""
    if "choix" in args:
        item = guide.items.get(_clip(args.get("choix")))
        if item is None:
            return Answer(error="unknown_item", status=404)
        return Answer(item=item, stream=STREAMS[item.stream])
    if "flux" in args:
        stream = STREAMS.get(_clip(args.get("flux")))
        return Answer(stream=stream) if stream else Answer(error="unknown_stream", status=404)
    query = (args.get("objet") or "").strip()
    if len(query) > MAX_QUERY:
        return Answer(error="too_long", status=400)
    return search_answer(guide, query) if query else Answer()


def search_answer(guide, query: str) -> Answer:
    """The best item for a typed name when it is clear, else the candidates."""
    found = guide.search(query, limit=8)
    if not found:
        close = [item for item, _ in guide.search(query, limit=6, cutoff=45)]
        return Answer(query=query, candidates=close, error="no_match")
    (best, top), rest = found[0], found[1:]
    rivals = [(item, m) for item, m in rest if m.score > top.score - LEAD]
    same_stream = all(item.stream == best.stream for item, _ in rivals)
    favoured = not rivals or (same_stream and top.rank - rivals[0][1].rank >= LEAD)
    clear = (top.score >= CONFIDENT and favoured) or (not rest and top.score >= ALONE)
    if not clear:
        return Answer(query=query, candidates=[item for item, _ in found[:CHOICES]])
    return Answer(query=query, item=best, stream=STREAMS[best.stream],
                  candidates=[item for item, _ in rest])
