"""Load partners' files into the graph: validate every row, write good rows in batches, report the rest.

Reading and validating run in the caller's thread while one writer thread sends batches to the
store (each batch is one transaction), so Python and Neo4j work at the same time. Batches are
written in order, so a relationship file always sees the nodes of the files before it.
"""

from __future__ import annotations

import os
import queue
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from graph_service.core.domain import NodeRow, RelationshipRow
from graph_service.core.declared_types import merged
from graph_service.core.errors import InputFileError
from graph_service.core.graph_model import REFERENCE_MODEL
from graph_service.core.ports import GraphWriter, LoadTarget
from loaders.discovery import REJECTS_SUFFIX, LoadPlan
from loaders.file_spec import FileSpec
from loaders.readers import UnreadableRow, check_encoding, header, read_rows
from loaders.routing import file_validator
from graph_service.services.reject_files import write_rejects
from loaders.validation import Rejection, RowValidator

UNKNOWN_NODE = "refers to an unknown {label} {id!r}"
_GENERAL = re.compile(r" \(first at line \d+\)| '[^']*'$")


@dataclass
class FileReport:
    file: str
    type_name: str
    rows_read: int = 0
    loaded: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    rejects_file: Path | None = None
    # Rows the mapping leaves out (its `where`, a `route` value naming no type, a repeated id it
    # skips): read, neither loaded nor rejected.
    routed_away: int = 0
    loaded_by_type: Counter = field(default_factory=Counter)

    @property
    def rejected(self) -> int:
        return len(self.rejections)

    def reasons(self) -> Counter:
        """Errors counted by field and reason, with line numbers and ids left out so like ones add up."""
        return Counter(
            f"{field_name}: {_GENERAL.sub('', reason)}" for r in self.rejections for field_name, reason in r.errors
        )


@dataclass
class LoadReport:
    files: list[FileReport]

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def loaded(self) -> int:
        return sum(f.loaded for f in self.files)

    @property
    def rejected(self) -> int:
        return sum(f.rejected for f in self.files)

    @property
    def routed_away(self) -> int:
        return sum(f.routed_away for f in self.files)

    def reasons(self) -> Counter:
        return sum((f.reasons() for f in self.files), Counter())


Progress = Callable[[FileSpec, int], None]


class _Writer:
    """Background threads that write one file's batches, each batch in its own transaction.

    Node batches of one file have distinct keys, so several threads may write them at once (a dated
    file's repeat ids at several dates: its batches go one at a time); relationship batches go one
    at a time (concurrent MERGEs on shared ends would deadlock).
    """

    def __init__(self, store: GraphWriter, loaded_at: datetime, threads: int):
        self.store = store
        self.loaded_at = loaded_at
        self.queue: queue.Queue = queue.Queue(maxsize=2 * threads)
        self.error: BaseException | None = None
        self.threads = [threading.Thread(target=self._run, name=f"ingest-writer-{n}", daemon=True)
                        for n in range(threads)]
        self._lock = threading.Lock()
        self._dated_lock = threading.Lock()
        for thread in self.threads:
            thread.start()

    def submit(self, spec: FileSpec, rows: list[NodeRow] | list[RelationshipRow], raw_by_line: dict[int, dict],
               report: FileReport, validator: RowValidator) -> None:
        self.raise_if_failed()
        self.queue.put((spec, rows, raw_by_line, report, validator))

    def close(self) -> None:
        """Wait for every queued batch, stop the threads, and re-raise the first failure."""
        for _ in self.threads:
            self.queue.put(None)
        for thread in self.threads:
            thread.join()
        self.raise_if_failed()

    def raise_if_failed(self) -> None:
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        while (item := self.queue.get()) is not None:
            if self.error is not None:
                continue  # a batch failed: write nothing after it
            try:
                self._write(*item)
            except BaseException as exc:  # re-raised in the caller's thread
                self.error = self.error or exc

    def _write(self, spec: FileSpec, rows: list[NodeRow] | list[RelationshipRow], raw_by_line: dict[int, dict],
               report: FileReport, validator: RowValidator) -> None:
        if spec.kind == "node" and spec.as_of:
            self._write_dated(spec, rows, raw_by_line, report, validator)
            return
        if spec.kind == "node":
            self.store.merge_nodes(spec.type_name, rows, spec.source, self.loaded_at)
            with self._lock:
                report.loaded += len(rows)
                report.loaded_by_type[spec.type_name] += len(rows)
            return
        written, refused = write_relationships(self.store, spec.type_name, rows, spec.source, self.loaded_at)
        report.loaded += len(written)
        report.loaded_by_type[spec.type_name] += len(written)
        for line, errors in refused.items():
            report.rejections.append(validator.reject(line, raw_by_line[line], errors))


    def _write_dated(self, spec: FileSpec, rows: list[NodeRow], raw_by_line: dict[int, dict], report: FileReport,
                     validator: RowValidator) -> None:
        """Dated values go to nodes loaded before (a row for an unknown id is a reject), one batch at
        a time: a node's rows at several dates may be in several batches."""
        with self._dated_lock:
            missing = self.store.missing_ids(spec.type_name, {row.id for row in rows})
            known = [row for row in rows if row.id not in missing]
            if known:
                self.store.merge_nodes(spec.type_name, known, spec.source, self.loaded_at)
        with self._lock:
            report.loaded += len(known)
            report.loaded_by_type[spec.type_name] += len(known)
            for row in rows:
                if row.id in missing:
                    report.rejections.append(validator.reject(row.line, raw_by_line[row.line], [
                        ("id", UNKNOWN_NODE.format(label=spec.type_name, id=row.id)
                         + f"; a dated file ({spec.as_of}) adds values to nodes loaded before it")]))


def write_relationships(store: GraphWriter, rel_type: str, rows: list[RelationshipRow], source: str,
                        loaded_at: datetime) -> tuple[list[RelationshipRow], dict[int, list[tuple[str, str]]]]:
    """Write relationship rows, one transaction per pair of end labels. Returns the rows written and,
    for each line not written, why: [(field, reason)] naming the unknown end(s)."""
    groups: dict[tuple[str, str], list[RelationshipRow]] = {}
    for row in rows:
        groups.setdefault((row.from_label, row.to_label), []).append(row)
    written: list[RelationshipRow] = []
    refused: dict[int, list[tuple[str, str]]] = {}
    for (source_label, target_label), group in sorted(groups.items()):
        done = store.merge_relationships(rel_type, source_label, target_label, group, source, loaded_at)
        written.extend(row for row in group if row.line in done)
        unwritten = [row for row in group if row.line not in done]
        if not unwritten:
            continue
        missing_from = store.missing_ids(source_label, {r.from_id for r in unwritten})
        missing_to = store.missing_ids(target_label, {r.to_id for r in unwritten})
        for row in unwritten:
            errors = []
            if row.from_id in missing_from:
                errors.append(("from_id", UNKNOWN_NODE.format(label=source_label, id=row.from_id)))
            if row.to_id in missing_to:
                errors.append(("to_id", UNKNOWN_NODE.format(label=target_label, id=row.to_id)))
            refused[row.line] = errors or [("(row)", "was not written although both ends exist; load it again")]
    return written, refused


def load(
    store: LoadTarget, plan: LoadPlan, rejects_dir: Path, batch_size: int = 5000,
    progress: Progress | None = None, now: datetime | None = None, node_writers: int = 2,
) -> LoadReport:
    """Load every file of the plan, in order; bad rows go to `<rejects_dir>/<file>.rejects.csv`."""
    if node_writers < 1 or batch_size < 1:
        raise ValueError("node_writers and batch_size must be at least 1")
    loaded_at = now or datetime.now(timezone.utc)
    validators = preflight(plan)
    reject_names = _reject_names(plan.files)
    for name in reject_names:  # a file from an earlier run must not pass for this run's
        (rejects_dir / name).unlink(missing_ok=True)
    store.apply_schema(plan.model)
    if plan.model is not REFERENCE_MODEL:  # a mapping declared types: the ingestion API accepts them too
        store.save_declared_types(merged(store.declared_types(), REFERENCE_MODEL, plan.model))
    reports = []
    for spec, validator, reject_name in zip(plan.files, validators, reject_names):
        writer = _Writer(store, loaded_at, node_writers if spec.kind == "node" else 1)
        try:
            report = _read_file(spec, validator, writer, batch_size, progress)
        finally:
            writer.close()  # every batch of this file is committed before the next file starts
        report.rejections.sort(key=lambda r: r.line)
        report.rejects_file = write_rejects(rejects_dir / reject_name, report.rejections)
        if progress:
            progress(spec, report.rows_read)
        reports.append(report)
    return LoadReport(reports)


def preflight(plan: LoadPlan) -> list[RowValidator]:
    """Check every file (exists, UTF-8, header fits its type) before anything is written."""
    validators = []
    for spec in plan.files:
        if not spec.path.is_file():
            raise InputFileError(f"{spec.path}: no such file")
        check_encoding(spec)
        validators.append(file_validator(plan.model, spec, header(spec)))
    return validators


def _reject_names(files: tuple[FileSpec, ...]) -> list[str]:
    """One reject file per entry: <file>.rejects.csv; where entries share a file name, the type is
    added; where they still collide (a/Firm.csv and b/Firm.csv), the folders that tell them apart,
    and as a last resort the entry's number."""
    file_names = Counter(spec.name for spec in files)
    names = [spec.name if file_names[spec.name] == 1 else f"{spec.name}.{spec.type_name}" for spec in files]
    if len(set(names)) < len(names):
        common = Path(os.path.commonpath([spec.path.parent for spec in files]))
        names = [name if names.count(name) == 1 else
                 "__".join((*spec.path.parent.relative_to(common).parts, name)) for spec, name in zip(files, names)]
    names = [name if names.count(name) == 1 else f"{name}.entry{i + 1}" for i, name in enumerate(names)]
    return [name + REJECTS_SUFFIX for name in names]


def _read_file(spec, validator, writer, batch_size, progress) -> FileReport:
    report = FileReport(spec.name, "|".join(spec.type_names), ignored_columns=validator.ignored_columns)
    # Per type the row goes to (one, unless the mapping routes rows by a column): its batch and raw rows.
    batches: dict[str, tuple[RowValidator, list, dict[int, dict]]] = {}
    for item in read_rows(spec):
        report.rows_read += 1
        if isinstance(item, UnreadableRow):
            report.rejections.append(Rejection(spec.name, item.line, (("(row)", item.reason),), item.raw))
            continue
        line, raw = item
        target = validator.route(raw)
        if target is None:
            report.routed_away += 1
            continue
        row = target.validate(line, raw)
        if row is None:  # a repeated id the mapping skips
            report.routed_away += 1
            continue
        if isinstance(row, Rejection):
            report.rejections.append(row)
            continue
        _, batch, raw_by_line = batches.setdefault(target.spec.type_name, (target, [], {}))
        if spec.kind == "relationship" or spec.as_of:
            raw_by_line[line] = raw  # for the reject file, should an end (a dated row's node) not exist
        batch.append(row)
        if len(batch) >= batch_size:
            writer.submit(target.spec, batch, raw_by_line, report, target)
            batches.pop(target.spec.type_name)
            if progress:
                progress(spec, report.rows_read)
    for target, batch, raw_by_line in batches.values():
        writer.submit(target.spec, batch, raw_by_line, report, target)
    return report
