"""Writing one table file of a day: chunk by chunk, bad rows mixed in, checksummed on the fly."""

from __future__ import annotations

import dataclasses
import hashlib
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from .badrows import BAD_ROW_KINDS, CSV_OPTIONS, BadRow, BadRowMaker
from .schemas import SCHEMAS


@dataclasses.dataclass(frozen=True)
class FileStats:
    """What the manifest says about one file."""

    rows: int
    good_rows: int
    bad_rows: dict[str, int]
    bytes: int
    sha256: str


class TableSink:
    """Writes a table to ``path`` (via a temporary name, renamed on close).

    Formatting and writing run on one background thread per sink (Arrow, hashlib and file
    writes release the GIL), overlapping with the generation of the next chunk; at most one
    chunk waits per sink, which keeps memory bounded.
    """

    def __init__(self, path: Path, table: str, fmt: str, bad: BadRowMaker | None) -> None:
        self.path, self.table, self.fmt, self.bad = path, table, fmt, bad
        self.schema = SCHEMAS[table]
        self.tmp = path.with_name(path.name + ".tmp")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.good = 0
        self.bad_counts = dict.fromkeys(BAD_ROW_KINDS, 0)
        self.sha = hashlib.sha256()
        self.size = 0
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"sink-{table}")
        self.pending: Future[None] | None = None
        if fmt == "csv":
            self.fh = self.tmp.open("wb")
            self._emit(",".join(self.schema.names).encode() + b"\n")
        else:
            self.writer = pq.ParquetWriter(self.tmp, self.schema, compression="snappy")

    def _emit(self, data: bytes | pa.Buffer) -> None:
        self.sha.update(data)
        self.size += len(data)
        self.fh.write(data)

    def _csv(self, table: pa.Table) -> None:
        if table.num_rows:
            sink = pa.BufferOutputStream()
            pa_csv.write_csv(table, sink, CSV_OPTIONS)
            self._emit(sink.getvalue())

    def write(self, chunk: pa.Table) -> None:
        """Write a chunk of good rows (and the bad rows the maker adds to it)."""
        self.good += chunk.num_rows
        bad: list[tuple[int, BadRow]] = self.bad.make(chunk) if self.bad else []
        for _, row in bad:
            self.bad_counts[row.kind] += 1
        pieces: list[pa.Table | bytes] = []
        start = 0
        for pos, row in bad:
            pieces.append(chunk.slice(start, pos - start))
            pieces.append(row.raw if row.raw is not None else row.table)
            start = pos
        pieces.append(chunk.slice(start))
        self._wait()
        self.pending = self.pool.submit(self._write_pieces, pieces)

    def _write_pieces(self, pieces: list[pa.Table | bytes]) -> None:
        if self.fmt == "csv":
            for piece in pieces:
                if isinstance(piece, bytes):
                    self._emit(piece)
                else:
                    self._csv(piece)
        else:
            tables = [p for p in pieces if isinstance(p, pa.Table)]
            self.writer.write_table(pa.concat_tables(tables) if len(tables) > 1 else tables[0])

    def _wait(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()  # re-raises a failure of the background write

    def close(self) -> FileStats:
        """Finish the file, move it into place and return its statistics."""
        self._wait()
        self.pool.shutdown()
        if self.fmt == "csv":
            self.fh.close()
        else:
            self.writer.close()
            with self.tmp.open("rb") as fh:
                while block := fh.read(1 << 20):
                    self.sha.update(block)
                    self.size += len(block)
        self.tmp.replace(self.path)
        n_bad = sum(self.bad_counts.values())
        return FileStats(self.good + n_bad, self.good, self.bad_counts, self.size,
                         self.sha.hexdigest())

    def abort(self) -> None:
        """Drop the partial file after an error."""
        self.pool.shutdown(wait=True, cancel_futures=True)
        if self.fmt == "csv":
            self.fh.close()
        else:
            self.writer.close()
        self.tmp.unlink(missing_ok=True)
