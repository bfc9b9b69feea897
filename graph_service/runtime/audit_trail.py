"""The audit trail of served scores, written with group commit.

A request hands its events to the trail and waits until they are committed to the store, so no
score leaves without its record. One writer thread per process commits whatever has queued while
the previous write ran, in one transaction: under load, many requests share a commit instead of
each paying for its own.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from graph_service.core.errors import StoreUnavailable
from graph_service.core.ports import AccessStore


@dataclass
class _Entry:
    events: list[dict]
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None


class AuditTrail:
    def __init__(self, store: AccessStore, timeout_s: float = 10.0):
        self.store = store
        self.timeout_s = timeout_s
        self._pending: list[_Entry] = []
        self._ready = threading.Condition()
        self._writer: threading.Thread | None = None

    def record(self, events: list[dict]) -> None:
        """Returns once the events are committed; raises StoreUnavailable if they could not be."""
        entry = _Entry(events)
        with self._ready:
            if self._writer is None or not self._writer.is_alive():  # started lazily: after a fork
                self._writer = threading.Thread(target=self._write_forever, name="audit-writer", daemon=True)
                self._writer.start()
            self._pending.append(entry)
            self._ready.notify()
        if not entry.done.wait(self.timeout_s):
            raise StoreUnavailable(f"the audit trail was not written within {self.timeout_s:.0f} s")
        if entry.error is not None:
            raise StoreUnavailable(f"the audit trail could not be written: {entry.error}") from entry.error

    def _write_forever(self) -> None:
        while True:
            with self._ready:
                while not self._pending:
                    self._ready.wait()
                batch, self._pending = self._pending, []
            error = None
            try:
                self.store.record_audit([event for entry in batch for event in entry.events])
            except Exception as exc:  # handed to every waiting request
                error = exc
            for entry in batch:
                entry.error = error
                entry.done.set()
