"""Firm features, from the graph only (never from the ground truth), as of a date.

Three blocks, each a dict name -> (n_firms,) float array:
  own          the firm's attributes, agreement between its sources, its credit history so far
  neighbourhood per relationship type and direction: degree, edge properties, what is known of
               the neighbours (firms' defaults so far, or a recommender's / guarantor's track record)
Firms in `hidden` are scored thin-file: their own history and every tie through their own loans
are left out, and they count as unknown when their neighbours' features are computed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from scoring.outcomes import CreditHistory
from scoring.own_schema import OwnSchema, encoded_features, fit_own_schema, own_attribute_features
from scoring.signed_ties import is_signed, per_firm, rev2_features, signed_aggregates, tie_dates
from scoring.tie_reach import TieRanges, signed_log
from graph_service.core.snapshot import GraphSnapshot

# Never features: lineage, names, the outcomes themselves, and TrustNet's own earlier scores
# (a model must not learn from its previous output).
LINEAGE = {"first_loaded_at", "last_loaded_at", "source", "id", "name", "defaulted", "outcome_date",
           "pd", "score", "grade", "scored_at", "model_version", "changed_at"}
# Pairs of independent sources that should agree about the same quantity.
SOURCE_PAIRS = (("declared_revenue", "tax_revenue"), ("declared_revenue", "utility_usage"),
                ("tax_revenue", "utility_usage"))


@dataclass
class FeatureSet:
    names: list[str]
    matrix: np.ndarray  # (n_firms, n_features) float64, NaN where unknown


def select_features(names: list[str], matrix: np.ndarray, wanted: list[str]) -> np.ndarray:
    """(r, len(wanted)) the named columns of matrix (r, len(names)). A tie type the graph does not
    yield (a neighbourhood without such ties) means no such ties: a degree and a count of known
    ends of 0, as the whole graph gives a firm without them; any other absent name is unknown, NaN."""
    index = {name: i for i, name in enumerate(names)}

    def absent(name: str) -> np.ndarray:
        counted = not name.startswith(("own.", "consistency.", "history.", "propagation.")) and name.endswith(
            (".degree", ".known"))
        return np.full(len(matrix), 0.0 if counted else np.nan)

    return np.column_stack([matrix[:, index[w]] if w in index else absent(w) for w in wanted])


_log = signed_log


def own_features(snapshot: GraphSnapshot, history: CreditHistory, as_of: np.datetime64,
                 hidden: np.ndarray, schema: OwnSchema | None = None) -> dict[str, np.ndarray]:
    """schema: which properties are features and how (scoring/own_schema.py); fitted on this
    snapshot when None (training), a trained model's when scoring."""
    firms = snapshot.nodes["Firm"]
    schema = schema or fit_own_schema(firms, LINEAGE)
    out = own_attribute_features(schema, firms, as_of)
    labelled, bad = known_bad(history, as_of, hidden)
    encoded_features(schema, firms, labelled, bad, out)
    numeric = set(schema.numeric)
    for a, b in SOURCE_PAIRS:
        if a in numeric and b in numeric:
            ratio = np.log(np.maximum(firms.numeric(a), 1e-9)) - np.log(np.maximum(firms.numeric(b), 1e-9))
            out[f"consistency.log({a}/{b})"] = ratio
    out["consistency.sources_missing"] = sum(
        (v for k, v in out.items() if k.endswith(".missing")), np.zeros(len(firms)))
    counts = history.firm_counts(as_of)
    for name, values in counts.items():
        out[f"history.{name}"] = np.where(hidden, 0.0, _log(values))
    out["history.known"] = np.where(hidden, 0.0, (counts["loans"] > 0).astype(float))
    return out


def known_bad(history: CreditHistory, as_of: np.datetime64, hidden: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per firm: (is labelled, defaulted so far) as a lender at as_of would know; hidden firms unknown."""
    counts = history.firm_counts(as_of)
    labelled = (counts["loans"] > 0) & ~hidden
    return labelled, labelled & (counts["defaults"] > 0)


def _hidden_loans(snapshot: GraphSnapshot, history: CreditHistory, hidden: np.ndarray) -> np.ndarray:
    loans = snapshot.nodes.get("Loan")
    mask = np.zeros(len(loans) if loans is not None else 0, dtype=bool)
    own = history.loan[(history.loan >= 0) & hidden[history.firm]]
    mask[own] = True
    return mask


def neighbourhood_features(snapshot: GraphSnapshot, history: CreditHistory, as_of: np.datetime64,
                           hidden: np.ndarray, ranges: TieRanges) -> dict[str, np.ndarray]:
    """Per relationship type and direction; a tie's numbers count within `ranges` (scoring/tie_reach.py)."""
    n = len(snapshot.nodes["Firm"])
    labelled, bad = known_bad(history, as_of, hidden)
    hidden_loan = _hidden_loans(snapshot, history, hidden)
    loan_bad = np.zeros(len(hidden_loan))
    if len(hidden_loan):
        defaulted = history.loan[(history.loan >= 0) & history.defaulted_before(as_of)]
        loan_bad[defaulted] = 1.0
    out: dict[str, np.ndarray] = {}
    for (source_label, rel_type, target_label), edge in sorted(snapshot.edges.items()):
        if rel_type == "BORROWED":
            continue  # the firm's own loans: its history block
        dates = tie_dates(edge)  # read once for both directions
        for firm_end, other_end, direction in (("source", "target", "out"), ("target", "source", "in")):
            firm_label = source_label if firm_end == "source" else target_label
            other_label = target_label if firm_end == "source" else source_label
            if firm_label != "Firm":
                continue
            firm_idx, other_idx = getattr(edge, firm_end), getattr(edge, other_end)
            keep = np.ones(len(firm_idx), dtype=bool)
            if other_label == "Loan":
                keep &= ~hidden_loan[other_idx]
            prefix = f"{rel_type}.{direction}"
            _aggregate(out, prefix, n, firm_idx[keep], other_idx[keep], edge, keep,
                       _other_signal(snapshot, other_label, other_idx[keep], firm_idx[keep], labelled, bad, loan_bad),
                       ranges, as_of, dates)
        if source_label == target_label == "Firm":
            for name in sorted(edge.properties):
                if name not in LINEAGE and is_signed(ranges, rel_type, name):
                    values = ranges.clip(rel_type, name, _log(edge.numeric(name)))
                    rev2_features(out, rel_type, name, n, edge.source, edge.target, values, labelled, bad, ranges)
    return out


def _other_signal(snapshot, other_label, other_idx, firm_idx, labelled, bad, loan_bad):
    """What is known of the node at the other end: (weight, bad) per edge."""
    if other_label == "Firm":
        return labelled[other_idx].astype(float), bad[other_idx].astype(float)
    if other_label == "Loan":
        return np.ones(len(other_idx)), loan_bad[other_idx]
    # A recommender, guarantor, person...: its track record over the other firms it is tied to.
    size = len(snapshot.nodes[other_label])
    tied = np.bincount(other_idx, weights=labelled[firm_idx].astype(float), minlength=size)
    tied_bad = np.bincount(other_idx, weights=bad[firm_idx].astype(float), minlength=size)
    # Leave the firm itself out, so its own outcome never describes it.
    n_others = tied[other_idx] - labelled[firm_idx]
    bad_others = tied_bad[other_idx] - bad[firm_idx]
    rate = np.where(n_others > 0, (bad_others + 0.5) / (n_others + 10.0), np.nan)
    return (n_others > 0).astype(float), np.nan_to_num(rate)


def _aggregate(out, prefix, n, firm_idx, other_idx, edge, keep, signal, ranges: TieRanges, as_of, dates) -> None:
    weight, value = signal
    adjacency = sp.csr_matrix((np.ones(len(firm_idx)), (firm_idx, np.arange(len(firm_idx)))),
                              shape=(n, len(firm_idx)))
    degree = np.asarray(adjacency.sum(axis=1)).ravel()
    out[f"{prefix}.degree"] = np.log1p(degree)
    age_days = None
    if dates is not None:  # NaT's integer is a huge negative number: a tie without a date has no age
        age_days = np.where(np.isnat(dates[keep]), np.nan, (as_of - dates[keep]).astype(float))
        out[f"{prefix}.first_years"] = per_firm(adjacency, np.nan_to_num(age_days, nan=-np.inf), np.maximum) / 365.25
    for name in sorted(edge.properties):
        if name in LINEAGE:
            continue
        values = edge.numeric(name)[keep]
        if not np.isfinite(values).any():
            continue
        present = np.isfinite(values)
        clipped = ranges.clip(edge.type, name, _log(values))
        total = adjacency @ np.where(present, clipped, 0.0)
        count = adjacency @ present.astype(float)
        out[f"{prefix}.{name}.mean"] = np.where(count > 0, total / np.maximum(count, 1), np.nan)
        if is_signed(ranges, edge.type, name):
            signed_aggregates(out, f"{prefix}.{name}", adjacency, clipped, present, weight, value, age_days)
    known = adjacency @ weight
    out[f"{prefix}.known"] = np.log1p(known)
    out[f"{prefix}.bad_rate"] = np.where(known > 0, (adjacency @ (weight * value)) / np.maximum(known, 1e-9), np.nan)


def build_features(snapshot: GraphSnapshot, history: CreditHistory, as_of: np.datetime64,
                   hidden: np.ndarray, ranges: TieRanges, schema: OwnSchema | None = None) -> FeatureSet:
    own = own_features(snapshot, history, as_of, hidden, schema)
    neighbourhood = neighbourhood_features(snapshot, history, as_of, hidden, ranges)
    names = list(own) + list(neighbourhood)
    matrix = np.column_stack([own[k] for k in own] + [neighbourhood[k] for k in neighbourhood])
    return FeatureSet(names=names, matrix=matrix)
