"""The score contract (README.md, "Network credit scores", "The score"): PD to points and grade, reason codes, evidence.

- score: points-to-double-odds, score = offset + factor * ln(good:bad odds), factor = PDO / ln 2,
  anchored so that `anchor_points` means `anchor_odds`:1 (configuration, echoed in responses);
- grade: from the PD master scale, never from the score;
- reasons: at most 4, the feature groups whose replacement by a typical value moves the firm's
  risk most, each naming the actual feature or tie type;
- evidence: for a reason that is a kind of tie, the firm's ties of that kind with their weights.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Callable

import numpy as np

from graph_service.core.settings import Settings
from scoring.reason_text import describe

MAX_REASONS = 4
# Upper PD bound of each grade by default (TRUSTNET_MASTER_SCALE sets grades 1-9's); a firm in
# default is graded "D" elsewhere.
MASTER_SCALE = tuple((bound, str(k)) for k, bound in enumerate(Settings.master_scale, start=1)) + ((1.0, "10"),)


@dataclass(frozen=True)
class ScoreScale:
    # The defaults are the settings' (TRUSTNET_SCORE_*), defined there once.
    anchor_points: float = Settings.score_anchor_points
    anchor_odds: float = Settings.score_anchor_odds
    pdo: float = Settings.score_pdo
    grade_bounds: tuple[float, ...] = Settings.master_scale  # upper PD bounds of grades 1-9

    @property
    def factor(self) -> float:
        return self.pdo / math.log(2)

    @property
    def offset(self) -> float:
        return self.anchor_points - self.factor * math.log(self.anchor_odds)

    def points(self, pd: np.ndarray) -> np.ndarray:
        """(n,) PDs -> (n,) scores, rounded to whole points; higher is safer."""
        return np.round(self.exact_points(pd)).astype(int)

    def exact_points(self, pd: np.ndarray) -> np.ndarray:
        """(n,) PDs -> (n,) scores before rounding (a reason's points are a difference of these)."""
        pd = np.clip(pd, 1e-9, 1 - 1e-9)
        return self.offset + self.factor * np.log((1 - pd) / pd)

    def grade(self, pd: float) -> str:
        """The master-scale grade of a PD: 1 below the first bound ... 10 at or above the last."""
        return str(int(np.searchsorted(np.asarray(self.grade_bounds), pd, side="right")) + 1)


def grade(pd: float) -> str:
    """The grade on the default master scale."""
    return ScoreScale().grade(pd)


def feature_group(name: str) -> str:
    """The reason group a feature belongs to: an attribute, a source pair, the history, a tie kind."""
    if name.startswith("own."):
        return name.split(".")[1].split("=")[0]
    if name.startswith("consistency.log("):
        return "consistency:" + name[len("consistency.log("):-1]
    if name.startswith("consistency."):
        return "consistency:sources"
    if name.startswith("history."):
        return "history"
    if name.startswith("propagation."):
        return "propagation"
    rel_type, direction = name.split(".")[:2]
    return f"tie:{rel_type}.{direction}"


def reason_code(group: str) -> str:
    """The stable code of a reason group, built from the names in the graph (generic over types); its
    sentence comes from scoring/reason_text.py."""
    if group == "history":
        return "CREDIT_HISTORY"
    if group == "propagation":
        return "NETWORK_TRUST"
    if group.startswith("consistency:"):
        pair = group.split(":", 1)[1]
        if pair == "sources":
            return "SOURCES_MISSING"
        a, b = pair.split("/")
        return f"AGREE_{_upper(a)}_{_upper(b)}"
    if group.startswith("tie:"):
        rel_type, direction = group[4:].split(".")
        return f"{rel_type}_{direction.upper()}"
    return f"ATTR_{_upper(group)}"


def _upper(text: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "_", text.upper()).strip("_")


@dataclass(frozen=True)
class Reason:
    code: str
    text: str  # a sentence for the applicant (scoring/reason_text.py)
    contribution: float  # change in raw risk this group causes against a typical firm; > 0 raises risk
    group: str
    points: int = 0  # the score minus the score with this group typical; < 0 lowers the score
    value: float | None = None  # the firm's value of the group's main feature, in the sentence's units
    typical: float | None = None  # a typical firm's value of it (the model's reference)


def group_columns(names: list[str]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        groups.setdefault(feature_group(name), []).append(i)
    return groups


def explain(risk, x: np.ndarray, reference: np.ndarray, groups: dict[str, list[int]], names: list[str],
            score_of: Callable[[np.ndarray], np.ndarray]) -> list[list[Reason]]:
    """Reasons for each row of x (n, f): each group in turn is set to the reference (typical) values,
    and the groups whose removal changes the risk most are the reasons, up to MAX_REASONS.

    names: (f,) the columns' feature names; score_of: raw risk (m,) -> unrounded score points (m,),
    the model's calibrator and the score scale, so a reason's points are the firm's score minus its
    score with the group typical."""
    group_names = list(groups)
    # One call over all variants (the rows as they are, then with each group switched off):
    # a model's per-call overhead, not its per-row cost, dominates for a handful of firms.
    variants = [x]
    for name in group_names:
        replaced = x.copy()
        replaced[:, groups[name]] = reference[groups[name]]
        variants.append(replaced)
    risks = np.asarray(risk(np.vstack(variants))).reshape(len(variants), len(x))
    deltas = (risks[0] - risks[1:]).T  # (n, groups)
    scores = np.asarray(score_of(risks.ravel())).reshape(risks.shape)
    points = np.round(scores[0] - scores[1:]).T.astype(int)  # (n, groups)
    out = []
    for k, row in enumerate(deltas):
        order = np.argsort(-np.abs(row), kind="stable")[:MAX_REASONS]
        out.append([_reason(group_names[g], groups[group_names[g]], names, x[k], reference, float(row[g]),
                            int(points[k, g]))
                    for g in order if row[g] != 0])
    return out


def _reason(group: str, columns: list[int], names: list[str], row: np.ndarray, reference: np.ndarray,
            contribution: float, points: int) -> Reason:
    text, value, typical = describe(group, [names[i] for i in columns], row[columns], reference[columns], points)
    return Reason(reason_code(group), text, round(contribution, 6), group, points, value, typical)
