"""The process-wide sandbox: seeded state, clock, request log and faults, behind one lock."""
import pickle
import threading

from .clock import Clock


class Sandbox:
    def __init__(self, seed):
        """`seed()` builds a fresh state; reset() calls it again."""
        self._seed = seed
        self.lock = threading.RLock()
        self.clock = Clock()
        self.requests: list[dict] = []
        self.faults: list[dict] = []
        self.state = seed()

    def reset(self) -> None:
        state = self._seed()
        with self.lock:
            self.state = state
            self.requests = []
            self.faults = []
            self.clock.offset = 0.0


def copies(seed):
    """`seed` for a large catalogue: built once, then each call returns a fresh deep copy of that state
    (a pickle round trip, several times faster than seeding the Olapic catalogue again). The state must
    pickle, and seeding must depend on nothing but its arguments."""
    frozen = pickle.dumps(seed(), pickle.HIGHEST_PROTOCOL)
    return lambda: pickle.loads(frozen)
