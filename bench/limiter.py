"""Process CPU (every thread) per rate-limited request: our inline-swept memory storage against
limits' own MemoryStorage (a timer thread after every count), same app, same run."""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from webapp import create_app  # noqa: E402

URL = "/grenoble/velo?lat=45.1885&lon=5.7245"      # a bike fragment near place Victor Hugo


def per_request(client, requests: int, gap_s: float) -> float:
    """ms of process CPU per request, requests gap_s apart as a server sees people's requests."""
    started = time.process_time()
    for _ in range(requests):
        client.get(URL, headers={"HX-Request": "true"})
        time.sleep(gap_s)
    return (time.process_time() - started) / requests * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--gap-ms", type=float, default=12.0)
    args = parser.parse_args()
    clients = {uri: create_app({"RATELIMIT_STORAGE_URI": uri}).test_client()
               for uri in ("memory://", "presdici-memory://")}
    for client in clients.values():
        for _ in range(50):
            client.get(URL, headers={"HX-Request": "true"})
    found = {uri: [] for uri in clients}
    for _ in range(args.rounds):                       # interleaved: load hits both alike
        for uri, client in clients.items():
            found[uri].append(per_request(client, args.requests, args.gap_ms / 1000))
    base = statistics.median(found["memory://"])
    for uri, values in found.items():
        print(f"{uri:22} median {statistics.median(values):.3f} ms/request "
              f"({' '.join(f'{v:.2f}' for v in values)})  × baseline "
              f"{statistics.median(values) / base:.2f}")
    print(f"process CPU of every thread, {args.rounds} interleaved rounds × {args.requests} "
          f"requests {args.gap_ms:g} ms apart; baseline: limits' MemoryStorage (memory://)")


if __name__ == "__main__":
    main()
