"""The fault matrix: every way a portal fails × what the app does about it, in one table.

Usage: .venv/bin/python bench/faults.py [--only NAME]
Each row: a good refresh from a real local portal (127.0.0.1), then 3 refreshes (`--force`)
during the fault. Columns: the snapshot is unchanged (data kept); the HTTP cache holds only the
good body (nothing cached); seconds the first faulty refresh took; HTTP requests the portal got
over the 3 refreshes; the page near Notre-Dame still answers with the data's date.
The same matrix runs as tests (tests/test_faults.py, in `make test`).
"""
from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from faults import FAULTS, run, table  # noqa: E402  (the same matrix as tests/test_faults.py)


def main() -> None:
    """Run every fault (or the ones named) and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", default=[],
                        help="run only the faults whose name contains this (repeatable)")
    args = parser.parse_args()
    logging.disable(logging.WARNING)          # the refresh logs each failure: the table says it
    faults = [f for f in FAULTS if not args.only or any(o in f.name for o in args.only)]
    rows = []
    for fault in faults:
        with tempfile.TemporaryDirectory() as folder:
            rows.append(run(fault, Path(folder)))
    print(table(rows))
    bad = [r.fault.name for r in rows if not (r.data_kept and r.nothing_cached and r.page_dated)]
    if bad:
        raise SystemExit(f"faults that lost data, cached a bad body or broke a page: {bad}")


if __name__ == "__main__":
    main()
