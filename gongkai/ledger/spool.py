"""Where a large ledger import keeps its valid rows between checking and writing."""

from __future__ import annotations

import pickle
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from gongkai.ledger.validation import LedgerRow


class Spool:
    """Valid rows parked in a temporary file between checking and writing, so an import of
    any size holds one batch in memory (pickled lists of rows)."""

    def __init__(self, batch: int = 1000) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        self._batch: list[LedgerRow] = []
        self._size = batch

    def add(self, row: LedgerRow) -> None:
        self._batch.append(row)
        if len(self._batch) >= self._size:
            self._flush()

    def _flush(self) -> None:
        if self._batch:
            pickle.dump(self._batch, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self._batch = []

    def batches(self, size: int) -> Iterator[list[LedgerRow]]:
        """The rows in file order, ``size`` at a time."""
        self._flush()
        self._file.seek(0)
        out: list[LedgerRow] = []
        while True:
            try:
                out.extend(pickle.load(self._file))  # noqa: S301 - our own temporary file
            except EOFError:
                break
            while len(out) >= size:
                yield out[:size]
                out = out[size:]
        if out:
            yield out

    def close(self) -> None:
        self._file.close()


@dataclass
class Tally:
    """Counts over the valid rows (for numbering and the summary), kept while checking."""

    rows: int = 0
    years: Counter[int] = field(default_factory=Counter)
    results: Counter[str] = field(default_factory=Counter)
    unnumbered: Counter[int] = field(default_factory=Counter)  # year → rows without 受理编号
    claimed: dict[int, int] = field(default_factory=dict)  # year → highest platform serial

    def add(self, row: LedgerRow) -> None:
        self.rows += 1
        self.years[row.year] += 1
        self.results[row.result or "open"] += 1
        if not row.registration_number:
            self.unnumbered[row.year] += 1
        elif row.registration_serial:
            self.claimed[row.year] = max(self.claimed.get(row.year, 0), row.registration_serial)
