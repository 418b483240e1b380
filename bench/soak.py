"""Soak: minutes of mixed traffic against real gunicorn on 127.0.0.1, memory sampled throughout.

Usage: .venv/bin/python bench/soak.py [--minutes 5] [--rate 40] [--clients 4] [--sample-seconds 10]
Traffic: every task page of every city, with positions (jittered around real places), place and
item searches, htmx fragments, filters, static files, packs, the worker, the manifest and 404s.
RSS of the gunicorn master and workers is read from /proc every --sample-seconds. The table
gives, per minute: requests, errors (5xx or no answer), latency p50/p95/p99, RSS at the minute's
end and its growth since the first sample. Paced (--rate requests/s in all), bounded in time.
"""
from __future__ import annotations

import argparse
import http.client
import random
import re
import sys
import tempfile
import threading
import time
from pathlib import Path
from statistics import quantiles

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from conftest import Gunicorn  # noqa: E402  (the same real-server harness as the tests)

# (city, task path, a real place to jitter around)
CITIES = {"grenoble": (45.1885, 5.7245), "toulouse": (43.6045, 1.4440),
          "paris": (48.8566, 2.3522), "clermont": (45.7772, 3.0870), "perigueux": (45.1842, 0.7211)}
SEARCHES = {"velo": ["q=gare", "q=jaude", "q=zzzqqq", "lieu=zones-arrets:0"],
            "jeter": ["objet=bouteille+de+vin", "objet=piles", "objet=vieux+jean", "flux=glass",
                      "objet=canape"],
            "frais": ["ouvert=1", "gratuit=1&type=park", "type=fountain", "lent=1"]}
OTHER = ["/", "/donnees", "/hors-ligne", "/sw.js", "/manifest.webmanifest", "/nulle-part/velo",
         "/grenoble/pack.json", "/paris/pack.json"]


def request_mix(rng: random.Random, statics: list[str]) -> tuple[str, dict]:
    """One request as a visitor would make it: (path with query, headers)."""
    roll = rng.random()
    if roll < 0.1:
        return rng.choice(OTHER), {"Accept-Encoding": "gzip"}
    if roll < 0.2 and statics:
        return rng.choice(statics), {"Accept-Encoding": "br, gzip"}
    city, (lat, lon) = rng.choice(list(CITIES.items()))
    task = rng.choice(list(SEARCHES))
    path, query = f"/{city}/{task}", ""
    kind = rng.random()
    if kind < 0.45:
        query = f"lat={lat + rng.uniform(-0.01, 0.01):.4f}&lon={lon + rng.uniform(-0.01, 0.01):.4f}"
    elif kind < 0.8:
        query = rng.choice(SEARCHES[task])
    headers = {"Accept-Encoding": "gzip", "Accept-Language": rng.choice(["fr", "en"])}
    if query and rng.random() < 0.5:
        headers["HX-Request"] = "true"                      # the htmx fragment
    return f"{path}?{query}" if query else path, headers


def rss_mb(master: int) -> float:
    """Resident memory of the gunicorn master and every process below it, in MB."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    family, grew = {master}, True
    while grew:
        grew = False
        for pid, ppid in parents.items():
            if ppid in family and pid not in family:
                family.add(pid)
                grew = True
    total = 0
    for pid in family:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
        except (OSError, AttributeError):
            continue
    return total / 1024


class Soak:
    """Clients sending paced requests; a sampler reading RSS; results per minute."""

    def __init__(self, server: Gunicorn, args):
        self.server, self.args = server, args
        self.results: list[tuple[float, float, int]] = []     # (t, seconds, status or 0)
        self.samples: list[tuple[float, float]] = []          # (t, RSS MB)
        self.lock = threading.Lock()
        self.start = time.monotonic()
        self.end = self.start + args.minutes * 60
        page = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        page.request("GET", "/paris/frais?lat=48.8566&lon=2.3522")
        self.statics = sorted(set(re.findall(r'"(/static/[^"]+)"', page.getresponse().read()
                                             .decode())))
        page.close()

    def client(self, seed: int) -> None:
        """One visitor's connection (kept alive), pacing its share of --rate."""
        rng, interval = random.Random(seed), self.args.clients / self.args.rate
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        next_at = time.monotonic()
        while (now := time.monotonic()) < self.end:
            time.sleep(max(0.0, next_at - now))
            next_at += interval
            path, headers = request_mix(rng, self.statics)
            began = time.monotonic()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = 0
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
            with self.lock:
                self.results.append((began - self.start, time.monotonic() - began, status))
        conn.close()

    def sampler(self) -> None:
        """RSS every --sample-seconds, from the first second to the end."""
        while True:
            self.samples.append((time.monotonic() - self.start, rss_mb(self.server.proc.pid)))
            if time.monotonic() + self.args.sample_seconds > self.end:
                break
            time.sleep(self.args.sample_seconds)
        self.samples.append((time.monotonic() - self.start, rss_mb(self.server.proc.pid)))

    def run(self) -> None:
        """Start the clients and the sampler; wait for the end."""
        threads = [threading.Thread(target=self.client, args=(i,)) for i in range(self.args.clients)]
        threads.append(threading.Thread(target=self.sampler))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def table(soak: Soak, minutes: float) -> str:
    """Per minute: requests, errors, latency percentiles, RSS and growth."""
    first = soak.samples[0][1]
    lines = [f"{'minute':>6} {'requests':>8} {'req/s':>6} {'errors':>6} {'p50 ms':>7} "
             f"{'p95 ms':>7} {'p99 ms':>7} {'RSS MB':>7} {'growth':>7}"]
    span = 60 if minutes >= 1 else minutes * 60
    for index in range(max(1, round(minutes * 60 / span))):
        lo, hi = index * span, (index + 1) * span
        rows = [r for r in soak.results if lo <= r[0] < hi]
        if not rows:
            continue
        times = sorted(r[1] * 1000 for r in rows)
        cuts = quantiles(times, n=100) if len(times) > 1 else times * 99
        errors = sum(1 for r in rows if r[2] == 0 or r[2] >= 500)
        rss = [s[1] for s in soak.samples if s[0] <= hi][-1]
        lines.append(f"{index + 1:>6} {len(rows):>8} {len(rows) / span:>6.1f} {errors:>6} "
                     f"{cuts[49]:>7.1f} {cuts[94]:>7.1f} {cuts[98]:>7.1f} {rss:>7.1f} "
                     f"{(rss - first) / first:>+7.1%}")
    return "\n".join(lines)


def main() -> None:
    """Start gunicorn with the project's config, soak it, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--rate", type=float, default=40.0, help="requests per second, in all")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--sample-seconds", type=float, default=10.0)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    server = Gunicorn(folder / "instance", folder / "server.log")
    try:
        soak = Soak(server, args)
        soak.run()
    finally:
        server.stop()
    print(table(soak, args.minutes))
    statuses = {}
    for _t, _s, status in soak.results:
        statuses[status] = statuses.get(status, 0) + 1
    rss = [s[1] for s in soak.samples]
    print(f"{len(soak.results)} requests, statuses {dict(sorted(statuses.items()))}; "
          f"RSS {len(rss)} samples every {args.sample_seconds:g} s: first {rss[0]:.1f} MB, "
          f"max {max(rss):.1f} MB, last {rss[-1]:.1f} MB")
    print(f"gunicorn.conf.py (2 workers x 4 threads) on 127.0.0.1, {args.clients} clients, "
          f"{args.rate:g} req/s paced, {len(soak.statics)} static files in the mix")


if __name__ == "__main__":
    main()
