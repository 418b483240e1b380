"""The gazetteer's prefix index finds exactly what a scan of every entry finds, in the same order."""
import random

import pytest
from hypothesis import given, settings, strategies as st

import webapp.gazetteer as gazetteer_module

from webapp.catalog import catalog
from webapp.text import fold


def scan(gazetteer, query, limit=12):
    """The reference: every entry read, the same matching and ranking as Gazetteer.search."""
    words = fold(query[:80]).split()
    if not words:
        return []
    scored = []
    for entry in gazetteer._sorted:                      # noqa: SLF001 - the reference scan
        tokens = entry.folded.split()
        if all(any(t.startswith(w) for t in tokens) for w in words):
            rank = 0 if entry.folded == " ".join(words) else (
                1 if entry.folded.startswith(words[0]) else 2)
            scored.append((rank, len(entry.folded), entry.folded, entry.id, entry))
    scored.sort(key=lambda s: s[:4])
    return [s[-1] for s in scored[:limit]]


def gazetteers(app):
    with app.app_context():
        return [d.gazetteer for d in catalog().all() if d.gazetteer.entries]


@pytest.fixture(params=[2000, 0], ids=["small-slices-read-whole", "every-slice-walked"])
def slice_size(request, monkeypatch):
    """Both ways of finding the names that start with the first word, on the same data."""
    monkeypatch.setattr(gazetteer_module, "SMALL_SLICE", request.param)


def test_queries_built_from_real_names_match_the_scan(app, slice_size):
    rng = random.Random(14)
    for gazetteer in gazetteers(app):
        names = [e.name for e in gazetteer.entries.values()]
        for name in rng.sample(names, min(60, len(names))):
            words = name.split()
            for query in (name, words[0][:1], words[0][:2], words[-1][:4],
                          " ".join(w[:3] for w in words[:2]), name.upper()):
                assert gazetteer.search(query) == scan(gazetteer, query), query


@pytest.mark.parametrize("small_slice", [2000, 0])
def test_any_query_matches_the_scan(app, small_slice):
    @settings(max_examples=150, deadline=None)
    @given(st.text(alphabet="abcdeilmnorstuvé -'", max_size=12))
    def check(query):
        for gazetteer in gazetteers(app):
            assert gazetteer.search(query) == scan(gazetteer, query)
    real, gazetteer_module.SMALL_SLICE = gazetteer_module.SMALL_SLICE, small_slice
    try:
        check()
    finally:
        gazetteer_module.SMALL_SLICE = real
