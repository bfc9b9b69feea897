"""A reason in words a bank officer can tell an applicant: the firm's value, the typical one, the points.

A reason is a group of feature columns (scoring/contract.py, feature_group); its sentence names the
group's main feature: the first of the group's features, in the order below, whose value for the
firm reads differently from the typical firm's (the model's reference, the training firms' median),
and ends with the points the whole group moves the score by:

    "its ties with those that trade with it average a rating of 2.1, against 3.8 for a typical
     firm: -18 points"

Values are shown in their own units, not the model's: a count or amount undoes the features'
signed log (so an average over ties is the mean on that log scale, read back), a share is a
percentage, an age is in years. Tie sentences are built from the relationship type's name and
direction alone, so a type declared in a mapping reads as well as the reference model's.
"""

from __future__ import annotations

import math
import re
from typing import Callable

import numpy as np

# A tie group's features, most telling first; {p} is any tie property (rating, volume, ...). A
# bad_rate is the share of known ends that defaulted, or, for a recommender or guarantor, its
# track record over the other firms it is tied to.
TIE_ORDER = ("bad_rate", "{p}.share_negative", "{p}.goodness", "{p}.fairness", "{p}.agreement",
             "{p}.recent_mean", "{p}.min", "{p}.rated_goodness", "{p}.mean", "degree", "known", "first_years")
HISTORY_ORDER = ("history.defaults", "history.loans", "history.repaid", "history.borrowed", "history.known")

Reading = tuple[str, float | None, float | None]  # (sentence, value, typical)
# Per candidate feature: (to shown units, shown units -> text, text of the firm's value -> clause)
Candidate = tuple[str, Callable[[float], float], Callable[[float], str], Callable[[str, float], str]]


def _unlog(x: float) -> float:
    return math.copysign(math.expm1(abs(x)), x)


def number(v: float) -> str:
    """A number as a person writes it: 1.2M, 45k, 1,250, 12.5, 3, 0.042."""
    a = abs(v)
    if a >= 1e9:
        return f"{v / 1e9:.1f}bn"
    if a >= 1e6:
        return f"{v / 1e6:.1f}M"
    if a >= 1e4:
        return f"{v / 1e3:.0f}k"
    if a >= 100:
        return f"{v:,.0f}"
    if a >= 1 or a == 0:
        return f"{v:.1f}".removesuffix(".0")
    return f"{v:.2g}"


def percent(v: float) -> str:
    return f"{100 * v:.1f}%"


def signed(v: float) -> str:
    return f"{v:+.2f}"


def points_text(points: int) -> str:
    return f"{points:+d} point{'' if abs(points) == 1 else 's'}" if points else "0 points"


def _words(name: str) -> str:
    return name.replace("_", " ").lower()


def sentence(clause: str, typical: str | None, points: int) -> str:
    against = f", against {typical} for a typical firm" if typical is not None else ""
    return f"{clause}{against}: {points_text(points)}"


def _pick(candidates: list[Candidate], columns: dict[str, tuple[float, float]], points: int,
          unknown: bool = False) -> Reading | None:
    """The first candidate whose firm's value reads differently from the typical one's; failing
    that (unknown: for ties, whose clauses read "... is {s}"), the first the firm has no value of
    and a typical firm has; failing that, the first the firm has a value of."""
    readings = []
    for name, shown, text, clause in candidates:
        if name not in columns:
            continue
        v, t = columns[name]
        typical = shown(t) if math.isfinite(t) else None
        typical_text = text(typical) if typical is not None else None
        if math.isfinite(v):
            value = shown(v)
            readings.append((text(value) != typical_text, sentence(clause(text(value), value), typical_text, points),
                             round(value, 6), None if typical is None else round(typical, 6)))
        elif unknown and typical is not None:
            readings.append((None, sentence(clause("not known", math.nan), typical_text, points),
                             None, round(typical, 6)))
    for wanted in (True, None, False):
        for differs, *reading in readings:
            if differs is wanted:
                return tuple(reading)
    return None


def describe(group: str, names: list[str], values: np.ndarray, typical: np.ndarray, points: int) -> Reading:
    """(sentence, value, typical) for a reason group: names (g,) its feature columns, values (g,)
    the firm's and typical (g,) the reference's, in the model's units; points: what the group
    moves the score by."""
    columns = {n: (float(v), float(t)) for n, v, t in zip(names, values, typical)}
    if group == "history":
        reading = _pick(_history(columns), columns, points)
    elif group == "propagation":
        reading = _pick(_propagation(points), columns, points)
    elif group.startswith("consistency:"):
        reading = _pick(_consistency(group.split(":", 1)[1]), columns, points)
    elif group.startswith("tie:"):
        reading = _pick(_tie(*group[4:].split("."), names), columns, points, unknown=True)
    elif any("=" in n for n in names):
        reading = _category(group, columns, points)
    else:
        reading = _missing(group, columns, points) or _pick(_own(group), columns, points)
    return reading or (sentence(f"its {_words(group.split(':')[-1])}", None, points), None, None)


def _own(name: str) -> list[Candidate]:
    words = _words(name)
    aged = f"it was {words} {{}}" if words.endswith("ed") else f"its {words} dates from {{}}"
    return [
        (f"own.{name}", _unlog, number, lambda s, v: f"its {words} {_is(words)} {s}"),
        (f"own.{name}.years", float, lambda v: f"{number(v)} years ago", lambda s, v: aged.format(s)),
        (f"own.{name}.bad_rate", float, percent, lambda s, v: f"firms that share its {words} default at {s}"),
        (f"own.{name}.frequency", float, percent, lambda s, v: f"{s} of firms share its {words}"),
    ]


def _is(words: str) -> str:
    return "are" if words.endswith("s") and not words.endswith("ss") else "is"


def _missing(name: str, columns: dict[str, tuple[float, float]], points: int) -> Reading | None:
    """A number the firm does not report (its `.missing` flag is set), against the typical value."""
    flag, value = columns.get(f"own.{name}.missing"), columns.get(f"own.{name}")
    if flag is None or flag[0] < 0.5 or flag[1] >= 0.5:
        return None
    typical = _unlog(value[1]) if value is not None and math.isfinite(value[1]) else None
    words = _words(name)
    return (sentence(f"its {words} {_is(words)} not reported", None if typical is None else number(typical), points),
            None, None if typical is None else round(typical, 6))


def _category(name: str, columns: dict[str, tuple[float, float]], points: int) -> Reading:
    """A one-hot property: the category the firm has, and the one a typical firm has, if any."""
    prefix = f"own.{name}="
    has = [n[len(prefix):] for n, (v, _) in columns.items() if n.startswith(prefix) and v >= 0.5]
    usual = [n[len(prefix):] for n, (_, t) in columns.items() if n.startswith(prefix) and t >= 0.5]
    shown = _words(has[0]) if has else "none of the usual ones"
    typical = _words(usual[0]) if usual else None
    return sentence(f"its {_words(name)} is {shown}", typical, points), None, None


def _consistency(pair: str) -> list[Candidate]:
    if pair == "sources":
        return [("consistency.sources_missing", float, number,
                 lambda s, v: f"{s} of its independent sources {'reports' if s == '1' else 'report'} nothing")]
    a, b = (_words(p) for p in pair.split("/"))
    return [(f"consistency.log({pair})", math.exp, number, lambda s, v: f"its {a} is {s} times its {b}")]


def _history(columns: dict[str, tuple[float, float]]) -> list[Candidate]:
    loans = number(_unlog(columns.get("history.loans", (math.nan,))[0])) if "history.loans" in columns else None
    of_loans = f" of its {loans} loan{'' if loans == '1' else 's'}" if loans not in (None, "nan") else ""
    return [
        ("history.defaults", _unlog, number, lambda s, v: f"it has defaulted on {s}{of_loans}"),
        ("history.loans", _unlog, number, lambda s, v: f"it has taken {s} loan{'' if s == '1' else 's'}"),
        ("history.repaid", _unlog, number, lambda s, v: f"it has repaid {s} loan{'' if s == '1' else 's'}"),
        ("history.borrowed", _unlog, number, lambda s, v: f"it has borrowed {s} in all"),
        ("history.known", float, lambda v: "a" if v >= 0.5 else "no", lambda s, v: f"it has {s} credit history"),
    ]


def _propagation(points: int) -> list[Candidate]:
    def mass(x: float) -> float:
        return max(round(math.exp(x) - 1e-6, 9), 0.0)  # log(mass + 1e-6), read back

    trust = ("propagation.trust", mass, number, lambda s, v: f"trust reaching it from firms that repaid is {s}")
    distrust = ("propagation.distrust", mass, number,
                lambda s, v: f"distrust reaching it from firms that defaulted is {s}")
    distrusted = ("propagation.distrusted", mass, number,
                  lambda s, v: f"trusted firms that rated it negatively carry a trust of {s}")
    share = ("propagation.distrust_share", float, percent,
             lambda s, v: f"distrust makes up {s} of the trust and distrust reaching it")
    if points >= 0:
        return [trust, share, distrust, distrusted]
    return [distrusted, distrust, share, trust]


def tie_verb(rel_type: str, plural: bool = False) -> str:
    """What the source of a tie does to its target, from the type's name: TRADES_WITH -> "trades with"
    ("trade with" for many), MEMBER_OF -> "is a member of", LOCATED_IN -> "is located in"."""
    first, *rest = rel_type.lower().split("_")
    tail = " ".join(rest)
    if first.endswith("ed"):
        return " ".join(("are" if plural else "is", first, tail)).strip()
    if first.endswith("s") and not first.endswith("ss"):
        if plural:
            first = first[:-3] + "y" if first.endswith("ies") else (
                first[:-2] if re.search(r"(ch|sh|ss|x|z)es$", first) else first[:-1])
        return f"{first} {tail}".strip()
    return f"are {first}s {tail}".strip() if plural else f"is a {first} {tail}".strip()


# Per tie feature kind: (to shown units, shown units -> text, the clause; {s}: the value's text,
# {those}: the ends of the ties, {w}: the tie property). "degree" is a count, worded apart.
TIE_CLAUSES: dict[str, tuple[Callable[[float], float], Callable[[float], str], str]] = {
    "bad_rate": (float, percent, "the default rate of {those} is {s}"),
    "share_negative": (float, percent, "the share of its ties with {those} with a negative {w} is {s}"),
    "goodness": (float, signed, "its REV2 goodness (-1 to +1) from the {w}s of {those} is {s}"),
    "fairness": (float, lambda v: f"{v:.2f}", "its REV2 fairness (0 to 1) in the {w}s it gives {those} is {s}"),
    "agreement": (float, signed,
                  "the agreement (-1 to +1) of the {w}s on its ties with {those} with known outcomes is {s}"),
    "recent_mean": (_unlog, number, "the recency-weighted {w} on its ties with {those} is {s}"),
    "min": (_unlog, number, "the lowest {w} on its ties with {those} is {s}"),
    "rated_goodness": (float, signed, "the REV2 goodness (-1 to +1) of those it gives a positive {w} is {s}"),
    "mean": (_unlog, number, "the average {w} on its ties with {those} is {s}"),
    "known": (math.expm1, number, "{s} of {those} have a known outcome"),
    "first_years": (float, lambda v: f"{number(v)} years old", "its oldest tie with {those} is {s}"),
}


def _tie(rel_type: str, direction: str, names: list[str]) -> list[Candidate]:
    out = direction == "out"
    verb, verbs = tie_verb(rel_type), tie_verb(rel_type, plural=True)
    those = f"those it {verb}" if out else f"those that {verbs} it"
    prefix = f"{rel_type}.{direction}."
    properties = sorted({n[len(prefix):].rsplit(".", 1)[0] for n in names
                         if n.startswith(prefix) and n[len(prefix):].count(".") == 1})

    def count(s: str, v: float) -> str:
        others = f"{s} other{'' if s == '1' else 's'}"
        return f"it {verb} {others}" if out else f"{others} {verb if s == '1' else verbs} it"

    def candidate(kind: str, p: str | None) -> Candidate:
        shown, text, clause = TIE_CLAUSES[kind]
        name = prefix + (f"{p}.{kind}" if p else kind)
        return name, shown, text, lambda s, v: clause.format(s=s, those=those, w=_words(p or ""))

    candidates = []
    for kind in TIE_ORDER:
        if kind == "degree":
            candidates.append((prefix + "degree", math.expm1, number, count))
        elif kind.startswith("{p}."):
            candidates.extend(candidate(kind[4:], p) for p in properties)
        else:
            candidates.append(candidate(kind, None))
    return candidates
