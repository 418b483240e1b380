"""A real redis-server (Debian's) on 127.0.0.1, a free port and its own folder; never a mock."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import free_port, wait_for_port

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


class RedisServer:
    """redis-server without persistence, stopped by stop()."""

    def __init__(self, folder: Path):
        if not Path(REDIS_SERVER).exists():
            pytest.fail("redis-server is missing: run `make test`, which installs Debian's package")
        folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = folder / "redis.log"
        self.proc = subprocess.Popen(
            [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(folder),
             "--save", "", "--appendonly", "no", "--protected-mode", "yes",
             "--logfile", str(self.log)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        wait_for_port(self.port, timeout=10)

    def client(self):
        """A redis-py client on this server."""
        import redis
        return redis.Redis.from_url(self.url)

    def stop(self) -> None:
        """Stop the server (idempotent)."""
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
