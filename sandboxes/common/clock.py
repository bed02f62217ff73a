"""The sandbox clock: real time plus an offset operators can advance, so expiries are testable without waiting."""
import time
from datetime import datetime, timezone


class Clock:
    def __init__(self):
        self.offset = 0.0

    def now(self) -> float:
        return time.time() + self.offset

    def iso(self, ts: float | None = None) -> str:
        return iso(self.now() if ts is None else ts)


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")
