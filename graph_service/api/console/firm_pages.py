"""The bank officer's pages: find a firm, its score card, and a batch of firms scored from a CSV."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

from flask import Response, abort, g, render_template, request

from graph_service.api import context
from graph_service.api.console import drawings
from graph_service.api.console.session import requires
from graph_service.api.scores import serve_scores
from graph_service.core.graph_model import risk_band
from graph_service.services.reject_files import spreadsheet_safe

MAX_FOUND = 25
MAX_BATCH_FIRMS = 5000
BATCH_CHUNK = 100  # the API's batch size: each chunk is one call of the same service
NEIGHBOURS_DRAWN = 24
HISTORY = 12
NOT_DRAWN = ("Score", "Model")  # what TrustNet writes itself: the history table shows the scores


def register(blp) -> None:
    blp.add_url_rule("/firms", "find_firms", find_firms)
    blp.add_url_rule("/firms/<path:firm_id>", "score_card", score_card)
    blp.add_url_rule("/batch", "batch_page", batch_page)
    blp.add_url_rule("/batch", "batch_scores", batch_scores, methods=["POST"])


@requires("read_scores")
def find_firms():
    text = request.args.get("q", "").strip()[:200]
    found = context.store().find_firms(text, MAX_FOUND) if text else []
    return render_template("console/find_firms.html", text=text, found=found, max_found=MAX_FOUND,
                           band=risk_band)


def browser_link(firm_id: str) -> str:
    """Neo4j Browser opened on the firm's neighbourhood: the saved query and the firm's id, typed in."""
    from graph_service.services.browser_guide import firm_neighbourhood_statements

    settings = context.settings()
    statements = firm_neighbourhood_statements(settings.cypher_dir, firm_id)
    return f"http://{settings.api_browser_host}:{settings.neo4j_http_port}/browser/?cmd=edit&arg={quote(statements)}"


def _neighbours(firm, score: dict) -> list[dict]:
    """The firm's first ties and every tie behind a reason, each other end with its risk band."""
    behind: dict[tuple[str, str, str], list[str]] = {}
    for item in score["evidence"]:
        behind.setdefault((item["relationship"], item["direction"], item["id"]), []).append(item["reason"])
    nodes = {(t.type, t.direction, t.id): {"id": t.id, "label": t.label, "type": t.type, "direction": t.direction}
             for t in firm.ties[:NEIGHBOURS_DRAWN] if t.label not in NOT_DRAWN}
    for item in score["evidence"]:
        nodes.setdefault((item["relationship"], item["direction"], item["id"]),
                         {"id": item["id"], "label": item["label"], "type": item["relationship"],
                          "direction": item["direction"]})
    firm_ids = sorted({n["id"] for n in nodes.values() if n["label"] == "Firm"})
    states = context.store().score_states(firm_ids) if firm_ids else {}
    for key, node in nodes.items():
        latest = states.get(node["id"], (None, None))[1] if node["label"] == "Firm" else None
        node["band"] = risk_band(latest.get("grade")) if latest else None
        node["reasons"] = sorted(set(behind.get(key, [])))
    return list(nodes.values())


@requires("read_scores")
def score_card(firm_id: str):
    from graph_service.core.errors import NotFound
    from graph_service.services.network import firm_for

    served, _ = serve_scores([firm_id])
    if firm_id not in served:
        raise NotFound(f"no firm with id {firm_id!r}")
    score = served[firm_id]
    firm = firm_for(g.principal, context.store(), firm_id, NEIGHBOURS_DRAWN)
    history = context.store().score_history(firm_id, HISTORY)
    settings = context.settings()
    neighbours = _neighbours(firm, score)
    return render_template(
        "console/score_card.html", firm=firm, score=score, history=history,
        scale_svg=drawings.master_scale(score["grade"], settings.master_scale),
        graph_svg=drawings.neighbourhood(firm_id, risk_band(score["grade"]), neighbours),
        history_svg=drawings.pd_history([(h["scored_at"], h["pd"]) for h in reversed(history)]),
        browser_url=browser_link(firm_id) if g.principal.sees_whole_network() else None,
        drawn=len(neighbours))


@requires("read_scores")
def batch_page():
    return render_template("console/batch.html", max_firms=MAX_BATCH_FIRMS)


def _batch_ids(upload) -> tuple[list[tuple[int, str]], list[tuple[int, str, str]]]:
    """(line, firm id) of each row of the upload's first column (a header `firm_id` or `id` is
    skipped), and (line, text, why) of each row that holds no usable id."""
    text = upload.read(context.settings().api_max_body_bytes).decode("utf-8-sig", errors="replace")
    ids, bad = [], []
    for line, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        value = row[0].strip() if row else ""
        if line == 1 and value.lower() in ("firm_id", "id", "firm"):
            continue
        if not value:
            bad.append((line, ",".join(row), "no firm id in the first column"))
        elif len(value) > 200:
            bad.append((line, value[:40] + "...", "a firm id is at most 200 characters"))
        else:
            ids.append((line, value))
    return ids, bad


@requires("read_scores")
def batch_scores():
    upload = request.files.get("firms")
    if upload is None or not upload.filename:
        abort(400, "Choose a CSV file of firm ids (one per row, in the first column).")
    ids, bad = _batch_ids(upload)
    if len(ids) > MAX_BATCH_FIRMS:
        abort(400, f"The file has {len(ids):,} firm ids; at most {MAX_BATCH_FIRMS:,} at a time.")
    unique = list(dict.fromkeys(firm_id for _, firm_id in ids))
    served: dict[str, dict] = {}
    for start in range(0, len(unique), BATCH_CHUNK):
        found, _ = serve_scores(unique[start:start + BATCH_CHUNK])
        served.update(found)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["line", "firm_id", "pd", "score", "grade", "model_version", "as_of", "error"])
    rows = [(line, firm_id, served.get(firm_id)) for line, firm_id in ids]
    rows += [(line, text, None) for line, text, _ in bad]
    reasons = {line: why for line, _, why in bad}
    for line, firm_id, score in sorted(rows, key=lambda r: r[0]):
        firm_id = spreadsheet_safe(firm_id)  # an id read from the upload, opened in a spreadsheet
        if score is None:
            writer.writerow([line, firm_id, "", "", "", "", "", reasons.get(line, "no firm with this id")])
        else:
            writer.writerow([line, firm_id, f"{score['pd']:.6f}", score["score"], score["grade"],
                             score["model_version"], score["as_of"], ""])
    name = (upload.filename.rsplit(".", 1)[0] or "firms") + "-scores.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{quote(name)}"'})
