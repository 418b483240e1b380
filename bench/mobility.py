"""« Se déplacer »: time of a whole plan answer (POST), with baselines from the same run.

    .venv/bin/python bench/mobility.py [--runs 30]

Prints p50/p99 in ms (in-process Flask test client, embedded data): the empty page (baseline),
a Grenoble plan of four known places on the TAG feed's Tuesday 18 April 2023 at 08:00 with a
45-minute horizon (stops, lines, departures, first/last, reach, ~870 places ranked, QR code), the
same plan on foot and by bike only (no timetable reach), and the QR code of its shared link.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PLACES = [("Chez moi", "Victor Hugo"), ("Médecin", "Chavant"), ("Mission locale", "La Poya"),
          ("Travail", "Alsace-Lorraine")]


def percentiles(samples: list[float]) -> str:
    """"p50 … ms, p99 … ms"."""
    cuts = statistics.quantiles(samples, n=100)
    return f"p50 {statistics.median(samples):8.2f} ms  p99 {cuts[98]:8.2f} ms"


def timed(call, runs: int) -> list[float]:
    """Wall time of runs calls (after 3 warm-ups)."""
    for _ in range(3):
        call()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def profile(client) -> dict:
    """The hidden fields of a four-place plan, built through the form as a browser would."""
    from bs4 import BeautifulSoup
    fields: dict = {}
    for label, where in PLACES:
        page = client.post("/grenoble/deplacements", data={
            **fields, "ajout-nom": label, "ajout-endroit": where, "action": "ajouter"})
        assert page.status_code == 200
        form = BeautifulSoup(page.data, "html.parser").select_one("form.mobility-form")
        fields = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    assert "lieu-3-lat" in fields
    return {**fields, "jour": "2023-04-18", "heure": "08:00", "duree": "45", "modes-envoyes": "1"}


def encode_fields(fields: dict, decode, encode) -> str:
    """The plan's fields as the fragment a shared link carries."""
    from webapp.tasks.mobility.profile import Known, Profile
    places = [Known(fields[f"lieu-{i}-nom"], fields[f"lieu-{i}-endroit"],
                    float(fields[f"lieu-{i}-lat"]), float(fields[f"lieu-{i}-lon"]))
              for i in range(len(PLACES))]
    return encode(Profile(places))


def main() -> None:
    """Run and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    runs = max(2, parser.parse_args().runs)
    os.environ["PRESDICI_INSTANCE"] = tempfile.mkdtemp()
    from webapp import create_app
    from webapp.tasks.mobility.share import qr_svg, share_url
    app = create_app()
    client = app.test_client()
    fields = profile(client)

    def post(**extra):
        def call():
            response = client.post("/grenoble/deplacements", data={**fields, **extra})
            assert response.status_code == 200
        return call
    rows = [
        ("empty page (GET, baseline)", lambda: client.get("/grenoble/deplacements")),
        ("plan, 4 places, walk+bike+transit", post(modes=["walk", "bike", "transit"])),
        ("plan, 4 places, walk+bike only", post(modes=["walk", "bike"])),
    ]
    results = [(name, timed(call, runs)) for name, call in rows]
    with app.test_request_context():
        from webapp.tasks.mobility.profile import decode, encode
        person = decode(encode_fields(fields, decode, encode), (-180, -90, 180, 90))
        link = share_url("grenoble", person)
        results.append((f"QR code SVG ({len(link)}-char link)",
                        timed(lambda: qr_svg(link, "QR"), runs)))
    base = statistics.median(results[0][1])
    print(f"« Se déplacer », {runs} runs each, in process")
    for name, samples in results:
        print(f"{name:38s} {percentiles(samples)}  ×{statistics.median(samples) / base:6.1f}")


if __name__ == "__main__":
    main()
