"""Which of a firm's own properties are features, and how: fitted on the training graph, kept by the model.

Fitted once on the graph a model trains on, and applied unchanged to any graph it scores, so a
firm's own features do not depend on which other firms are in the snapshot: scored alone (a
one-firm neighbourhood on demand) it gets exactly the values it gets in the whole graph.
- numeric: signed-log value and a `.missing` flag (1 where the firm has none);
- dates: age in years as of the date;
- categories with at most ONE_HOT_MAX values: one indicator each (a value unseen in training: all 0);
- more values than that (90 sectors, 173 regions), never dropped: `.frequency`, the share of the
  training firms that have the firm's value, and `.bad_rate`, the smoothed default rate of the
  firms with a known outcome that share it (the firm itself left out when training; when scoring,
  the rates the model kept, fitted on every outcome known at training).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from graph_service.core.snapshot import NodeTable
from scoring.as_of import dates_of

ONE_HOT_MAX = 12
PRIOR_FIRMS = 10.0  # smoothing of a category's default rate towards the overall rate


@dataclass(frozen=True)
class OwnSchema:
    numeric: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    one_hot: dict[str, tuple[str, ...]] = field(default_factory=dict)
    encoded: dict[str, dict[str, float]] = field(default_factory=dict)  # property -> {value: frequency}
    # property -> {value: (firms with a known outcome, of them defaulted)}; empty until fitted with outcomes
    rates: dict[str, dict[str, tuple[float, float]]] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"numeric": list(self.numeric), "dates": list(self.dates),
                "one_hot": {k: list(v) for k, v in self.one_hot.items()},
                "frequency_and_rate_encoded": sorted(self.encoded)}


def fit_own_schema(firms: NodeTable, skip: set[str]) -> OwnSchema:
    numeric, dates, one_hot, encoded = [], [], {}, {}
    for name, values in sorted(firms.properties.items()):
        if name in skip:
            continue
        if np.isfinite(firms.numeric(name)).any():
            numeric.append(name)
            continue
        if (~np.isnat(dates_of(values))).any():
            dates.append(name)
            continue
        texts = [v for v in values if isinstance(v, str)]
        categories = sorted(set(texts))
        if 1 < len(categories) <= ONE_HOT_MAX:
            one_hot[name] = tuple(categories)
        elif len(categories) > ONE_HOT_MAX and len(categories) < 0.5 * len(texts):  # not an identifier
            counts = {c: 0 for c in categories}
            for text in texts:
                counts[text] += 1
            encoded[name] = {c: n / len(firms) for c, n in counts.items()}
    return OwnSchema(tuple(numeric), tuple(dates), one_hot, encoded)


def with_rates(schema: OwnSchema, firms: NodeTable, labelled: np.ndarray, bad: np.ndarray) -> OwnSchema:
    """The schema with each encoded category's outcome counts over the labelled firms (to score with)."""
    rates = {}
    for name in schema.encoded:
        values = firms.properties.get(name, [None] * len(firms))
        counts: dict[str, list[float]] = {}
        for value, known, defaulted in zip(values, labelled, bad):
            if known and isinstance(value, str):
                entry = counts.setdefault(value, [0.0, 0.0])
                entry[0] += 1
                entry[1] += float(defaulted)
        rates[name] = {value: (n, b) for value, (n, b) in counts.items()}
    return OwnSchema(schema.numeric, schema.dates, schema.one_hot, schema.encoded, rates)


def encoded_features(schema: OwnSchema, firms: NodeTable, labelled: np.ndarray, bad: np.ndarray,
                     out: dict[str, np.ndarray]) -> None:
    """`.frequency` and `.bad_rate` of each high-cardinality property (see the module's docstring)."""
    overall = (bad.sum() + 0.5) / (labelled.sum() + 1.0)
    for name, frequency in schema.encoded.items():
        values = firms.properties.get(name, [None] * len(firms))
        out[f"own.{name}.frequency"] = np.array([frequency.get(v, 0.0) if isinstance(v, str) else np.nan
                                                 for v in values])
        if name in schema.rates:  # scoring: the counts the model kept
            stored = schema.rates[name]
            known = np.array([stored.get(v, (0.0, 0.0))[0] if isinstance(v, str) else 0.0 for v in values])
            defaulted = np.array([stored.get(v, (0.0, 0.0))[1] if isinstance(v, str) else 0.0 for v in values])
            overall = (sum(b for _, b in stored.values()) + 0.5) / (sum(n for n, _ in stored.values()) + 1.0)
        else:  # training: this graph's known outcomes, the firm itself left out
            codes = {v: i for i, v in enumerate(sorted({v for v in values if isinstance(v, str)}))}
            index = np.array([codes.get(v, -1) if isinstance(v, str) else -1 for v in values])
            present = index >= 0
            n_known = np.bincount(index[present], weights=labelled[present].astype(float), minlength=len(codes))
            n_bad = np.bincount(index[present], weights=bad[present].astype(float), minlength=len(codes))
            known = np.where(present, n_known[np.maximum(index, 0)] - labelled, 0.0)
            defaulted = np.where(present, n_bad[np.maximum(index, 0)] - bad, 0.0)
        rate = (defaulted + PRIOR_FIRMS * overall) / (known + PRIOR_FIRMS)
        out[f"own.{name}.bad_rate"] = np.where([isinstance(v, str) for v in values], rate, np.nan)


def own_attribute_features(schema: OwnSchema, firms: NodeTable, as_of: np.datetime64) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for name in schema.numeric:
        numeric = firms.numeric(name)
        out[f"own.{name}"] = np.sign(numeric) * np.log1p(np.abs(numeric))
        out[f"own.{name}.missing"] = np.isnan(numeric).astype(float)
    for name in schema.dates:
        days = dates_of(firms.properties.get(name, [None] * len(firms)))
        # A missing date is unknown (NaN), not the ~-2.5e16 years that NaT's integer would make.
        out[f"own.{name}.years"] = np.where(np.isnat(days), np.nan, (as_of - days).astype(float) / 365.25)
    for name, categories in schema.one_hot.items():
        values = firms.properties.get(name, [None] * len(firms))
        for category in categories:
            out[f"own.{name}={category}"] = np.array([v == category for v in values], dtype=float)
    return out
