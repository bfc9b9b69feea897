"""The graph as it stood on a date: ties formed after it are left out of every feature, and dated
property values are those in force on it.

A tie's date is its first property named in TIE_DATES that holds a date (a rating's `time`, a
trade's `first_date`, a guarantee's `since`); a node's is its first in NODE_DATES (a loan's `issued`, a firm's `founded`). As of
a date, a tie counts only if neither it nor either of its ends came into being after that date.
A tie without any such date counts at every date: TrustNet cannot tell when it formed, so it is
taken to have been there all along (give ties a date in the mapping where the export has one).

A node property loaded from a dated file (a mapping's `as_of`, graph_service/core/dated_values.py)
takes the value in force on the date: the latest dated value on or before it, else the value loaded
without a date, else none. Other properties are their latest values, whatever the date (dates among
them count as of the date: a firm's age, a tie's age). Outcomes are taken as of the date by
scoring/outcomes.py.
"""

from __future__ import annotations

import numpy as np

from graph_service.core.snapshot import GraphSnapshot, NodeTable

TIE_DATES = ("since", "first_date", "started", "start_date", "formed", "date", "time", "issued", "signed")
NODE_DATES = ("issued", "founded", "registered", "since", "formed")


def dates_of(values: list) -> np.ndarray:
    """(n,) datetime64[D] of a property's values: a date or datetime's day, NaT for anything else."""
    return np.array([np.datetime64(v.isoformat()[:10], "D") if hasattr(v, "isoformat") else np.datetime64("NaT", "D")
                     for v in values], dtype="datetime64[D]")


def formation_dates(properties: dict[str, list], size: int, names: tuple[str, ...]) -> np.ndarray | None:
    """(size,) datetime64[D] from the first of `names` that holds a date, NaT where missing; None if none does."""
    for name in names:
        values = properties.get(name)
        if values is not None and any(hasattr(v, "isoformat") for v in values):
            return dates_of(values)
    return None


def as_of_snapshot(snapshot: GraphSnapshot, as_of: np.datetime64) -> GraphSnapshot:
    """The snapshot without the ties that formed after as_of, its dated properties as of it (itself
    when neither changes anything)."""
    node_dates = {label: formation_dates(table.properties, len(table), NODE_DATES)
                  for label, table in snapshot.nodes.items()}
    edges, changed = {}, False
    for key, edge in snapshot.edges.items():
        late = np.zeros(len(edge.source), dtype=bool)
        tie_dates = formation_dates(edge.properties, len(edge.source), TIE_DATES)
        if tie_dates is not None:
            late |= tie_dates > as_of  # NaT compares False: an undated tie counts
        for label, ends in ((edge.source_label, edge.source), (edge.target_label, edge.target)):
            if node_dates.get(label) is not None and len(ends):
                late |= node_dates[label][ends] > as_of
        if late.any():
            edges[key], changed = edge.subset(~late), True
        else:
            edges[key] = edge
    nodes = {label: _values_as_of(table, as_of) for label, table in snapshot.nodes.items()}
    changed |= any(nodes[label] is not table for label, table in snapshot.nodes.items())
    return GraphSnapshot(nodes, edges) if changed else snapshot


def _values_as_of(table: NodeTable, as_of: np.datetime64) -> NodeTable:
    """The table with each dated property's value in force on as_of (itself if none is dated)."""
    if not table.dated:
        return table
    properties = dict(table.properties)
    for name, dated in table.dated.items():
        properties[name] = dated.value_at(as_of)
    return NodeTable(table.label, table.ids, properties)
