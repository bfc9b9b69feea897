"""Which files to load, and as what: from a folder of canonically named files, or a mapping file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from graph_service.core.errors import InputFileError
from graph_service.core.graph_model import GraphModel
from loaders.file_spec import FileSpec, format_of
from loaders.mapping import read_mapping

REJECTS_SUFFIX = ".rejects.csv"


@dataclass(frozen=True)
class LoadPlan:
    model: GraphModel
    files: tuple[FileSpec, ...]  # node files first, then relationship files
    new_labels: tuple[str, ...] = ()


def plan_load(path: Path, model: GraphModel, source: str | None, mapping: Path | None = None) -> LoadPlan:
    """A canonical file is named after its label or type: Firm.csv, TRADES_WITH.jsonl, firm.csv."""
    if not path.exists():
        raise InputFileError(f"{path}: no such file or folder")
    if mapping is not None:
        data_dir = path if path.is_dir() else path.parent
        parsed = read_mapping(mapping, model, data_dir)
        files = parsed.files
        if path.is_file():
            files = tuple(f for f in files if f.path == path.resolve())
            if not files:
                raise InputFileError(f"{path}: the mapping {mapping} has no entry for this file")
        return LoadPlan(parsed.model, _nodes_first(files), parsed.new_labels)
    candidates = [path] if path.is_file() else sorted(p for p in path.iterdir() if p.is_file())
    by_name = {label.lower(): ("node", label) for label, n in model.nodes.items() if n.loadable}
    by_name.update({t.lower(): ("relationship", t) for t, r in model.relationships.items() if r.loadable})
    specs, unknown = [], []
    for file in candidates:
        if file.name.endswith(REJECTS_SUFFIX) or file.name.startswith("."):
            continue
        file_format = format_of(file)
        match = by_name.get(file.stem.lower())
        if file_format is None or match is None:
            if file_format is not None or path.is_file():
                unknown.append(file.name)
            continue
        kind, type_name = match
        specs.append(FileSpec(file.resolve(), file_format, kind, type_name, source or _default_source(path)))
    if unknown:
        known = ", ".join(sorted(n for _, n in by_name.values()))
        raise InputFileError(
            f"don't know what {', '.join(unknown)} hold(s): name a file after a node label or relationship "
            f"type ({known}) with .csv or .jsonl, or describe it in a mapping file (--mapping)"
        )
    if not specs:
        raise InputFileError(f"{path}: no .csv or .jsonl files named after a node label or relationship type")
    return LoadPlan(model, _nodes_first(tuple(specs)))


def _nodes_first(files: tuple[FileSpec, ...]) -> tuple[FileSpec, ...]:
    return tuple(f for f in files if f.kind == "node") + tuple(f for f in files if f.kind == "relationship")


def _default_source(path: Path) -> str:
    return path.resolve().name if path.is_dir() else path.resolve().parent.name
