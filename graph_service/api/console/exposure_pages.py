"""The guarantor's pages: its own exposure (totals, expected loss, concentration, the chains and
circles behind it) and a what-if: which firms default, and what it would lose."""

from __future__ import annotations

from flask import abort, g, render_template, request

from graph_service.api import context
from graph_service.api.console import drawings
from graph_service.api.console.session import requires
from graph_service.core.errors import InvalidInput

DEPTH = 4  # chains drawn to depth 4
LABELS = ("Guarantor", "Firm")
MAX_DEFAULTS = 1000
LISTED = 50  # guarantees listed, largest exposure first
OFFERED = 30  # borrowers offered to tick in the what-if, largest exposure first


def register(blp) -> None:
    blp.add_url_rule("/exposure", "exposure", exposure)
    blp.add_url_rule("/what-if", "what_if", what_if, methods=["GET", "POST"])


def _whose() -> tuple[str, str]:
    """(label, id) of the guarantor the page is about: a guarantor's own; others name one (?guarantor=)."""
    if g.principal.role == "guarantor":
        return g.principal.acts_for_label, g.principal.acts_for_id
    label = request.values.get("label", "Guarantor")
    guarantor_id = request.values.get("guarantor", "").strip()
    if label not in LABELS:
        abort(400, f"label must be one of {', '.join(LABELS)}")
    return label, guarantor_id


def _exposure(label: str, guarantor_id: str) -> dict:
    from graph_service.services.exposure import exposure_for

    return exposure_for(g.principal, context.store(), label, guarantor_id, context.settings().loss_given_default,
                        DEPTH)


@requires("read_exposure")
def exposure():
    label, guarantor_id = _whose()
    if not guarantor_id:
        return render_template("console/exposure.html", exposure=None, label=label)
    found = _exposure(label, guarantor_id)
    charts = {}
    for key in ("sector", "region"):
        items = found["concentration"][key][:12]
        charts[key] = drawings.bars([(c["name"], c["share"], f"{c['share'] * 100:.1f}% · {c['exposure_at_default']:,.0f}")
                                     for c in items], f"Exposure at default by {key}") if items else ""
    listed = sorted(found["guarantees"], key=lambda x: (-x["exposure_at_default"], x["loan_id"]))[:LISTED]
    return render_template("console/exposure.html", exposure=found, label=label, charts=charts, listed=listed,
                           chains_svg=drawings.chains(found["guarantor_id"], found["chains"])
                           if found["chains"] else "")


def _borrowers(found: dict | None) -> list[tuple[str, str | None, float]]:
    """(borrower, sector, exposure at default) of its live guarantees, per borrower, largest first."""
    if found is None:
        return []
    by: dict[str, list] = {}
    for x in found["guarantees"]:
        if x["live"] and x["borrower_id"]:
            entry = by.setdefault(x["borrower_id"], [x["borrower_sector"], 0.0])
            entry[1] += x["exposure_at_default"]
    ranked = sorted(by.items(), key=lambda item: (-item[1][1], item[0]))[:OFFERED]
    return [(borrower, sector, ead) for borrower, (sector, ead) in ranked]


def _direct_loss(found: dict, defaults: set[str], lgd: float) -> tuple[float, list[dict]]:
    """What the guarantor loses on its own guarantees of the defaulting borrowers: LGD x EAD each."""
    hit = [g_ for g_ in found["guarantees"] if g_["live"] and g_["borrower_id"] in defaults]
    return round(sum(lgd * g_["exposure_at_default"] for g_ in hit), 2), hit


@requires("run_stress_tests")
def what_if():
    from graph_service.services.stress import stress_test_for

    label, guarantor_id = _whose()
    found = _exposure(label, guarantor_id) if guarantor_id else None
    result = None
    if request.method == "POST":
        chosen = request.form.getlist("defaults")
        typed = [part.strip() for part in request.form.get("more", "").replace(";", ",").split(",")]
        defaults = list(dict.fromkeys([c for c in chosen + typed if c]))[:MAX_DEFAULTS]
        if not defaults:
            abort(400, "Choose at least one firm to default.")
        lgd = context.settings().loss_given_default
        try:
            stress = stress_test_for(g.principal, context.network_view(), defaults, 20, lgd)
        except InvalidInput as exc:
            abort(400, "; ".join(exc.messages))
        direct, hit = _direct_loss(found, set(defaults), lgd) if found else (0.0, [])
        own = (stress["guarantors"] + stress["banks"])[:1]
        result = {"defaults": defaults, "direct_loss": direct, "hit": hit, "stress": stress,
                  "own": own[0] if own else None, "lgd": lgd}
    return render_template("console/what_if.html", exposure=found, label=label, result=result,
                           borrowers=_borrowers(found), offered=OFFERED)
