"""The console's pictures, drawn on the server as SVG (no script, nothing fetched): the master
scale with a firm's grade, bars, a firm's neighbourhood with the ties behind its reasons, the
chains of guarantees behind a guarantor, and a PD history."""

from __future__ import annotations

import math
from html import escape

BAND_COLOURS = {"RiskLow": "#4CAF7A", "RiskMedium": "#F2A93B", "RiskHigh": "#E04848", None: "#B8BEC6"}
GRADE_COLOURS = ("#2E8B57", "#3F9E5F", "#62B06A", "#8BC170", "#B7CF6E", "#E0D36A", "#F2B95A", "#F2994A",
                 "#E86F3F", "#D9453B")
HIGHLIGHT = "#2F5DDB"


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
            f'aria-label="{escape(title)}"><title>{escape(title)}</title>' + "".join(body) + "</svg>")


def master_scale(grade: str, bounds: tuple[float, ...]) -> str:
    """Ten boxes, grade 1 (safest) to 10, each with its upper PD bound; the firm's grade marked."""
    width, box = 620, 60
    body = []
    for k in range(10):
        x = 10 + k * box
        mark = str(k + 1) == str(grade)
        body.append(f'<rect x="{x}" y="22" width="{box - 4}" height="30" rx="4" fill="{GRADE_COLOURS[k]}" '
                    f'stroke="{"#111" if mark else "none"}" stroke-width="3" data-grade="{k + 1}"/>')
        body.append(f'<text x="{x + box / 2 - 2}" y="42" text-anchor="middle" font-size="14" fill="#fff" '
                    f'font-weight="{"bold" if mark else "normal"}">{k + 1}</text>')
        upper = f"< {bounds[k] * 100:g}%" if k < len(bounds) else f">= {bounds[-1] * 100:g}%"
        body.append(f'<text x="{x + box / 2 - 2}" y="68" text-anchor="middle" font-size="10" fill="#444">{upper}</text>')
        if mark:
            body.append(f'<path d="M{x + box / 2 - 8} 6 L{x + box / 2 + 4} 6 L{x + box / 2 - 2} 18 Z" fill="#111"/>')
    return _svg(width, 76, body, f"Master scale, grade {grade} marked")


def bars(items: list[tuple[str, float, str]], title: str) -> str:
    """Horizontal bars: (label, share 0..1, value text), largest first as given."""
    height = 24 * len(items) + 8
    body = []
    for k, (label, share, text) in enumerate(items):
        y = 4 + 24 * k
        body.append(f'<text x="150" y="{y + 15}" text-anchor="end" font-size="12">{escape(label)}</text>')
        body.append(f'<rect x="158" y="{y + 3}" width="{max(1.0, 300 * share):.1f}" height="16" fill="#4F7BD9"/>')
        body.append(f'<text x="{164 + 300 * share:.1f}" y="{y + 15}" font-size="11" fill="#333">{escape(text)}</text>')
    return _svg(600, height, body, title)


def neighbourhood(firm_id: str, firm_band: str | None, neighbours: list[dict]) -> str:
    """The firm in the middle, its neighbours around it coloured by risk band; the ties behind a
    reason drawn thick in blue and named by that reason's code. neighbours: {id, label, type,
    direction, band, reasons (codes)}."""
    size, centre, radius = 640, 320, 230
    body = ['<g class="ties">']
    places = []
    for k, node in enumerate(neighbours):
        angle = 2 * math.pi * k / max(1, len(neighbours)) - math.pi / 2
        x, y = centre + radius * math.cos(angle), centre + radius * math.sin(angle)
        places.append((x, y))
        behind = bool(node["reasons"])
        body.append(f'<line x1="{centre}" y1="{centre}" x2="{x:.1f}" y2="{y:.1f}" '
                    f'stroke="{HIGHLIGHT if behind else "#C5CAD3"}" stroke-width="{4 if behind else 1.5}" '
                    f'class="{"evidence" if behind else "tie"}" data-reasons="{escape(" ".join(node["reasons"]))}"/>')
    body.append('</g><g class="nodes">')
    for node, (x, y) in zip(neighbours, places):
        colour = BAND_COLOURS.get(node["band"], BAND_COLOURS[None]) if node["label"] == "Firm" else "#8E7CC3"
        caption = f'{node["type"]} {"→" if node["direction"] == "out" else "←"}'
        body.append(f'<g class="node" data-id="{escape(node["id"])}" data-band="{escape(str(node["band"]))}">'
                    f'<circle cx="{x:.1f}" cy="{y:.1f}" r="16" fill="{colour}" stroke="#fff" stroke-width="2"/>'
                    f'<text x="{x:.1f}" y="{y + 30:.1f}" text-anchor="middle" font-size="10">{escape(node["id"])}</text>'
                    f'<text x="{x:.1f}" y="{y + 42:.1f}" text-anchor="middle" font-size="9" fill="#666">'
                    f'{escape(caption)}</text></g>')
    body.append(f'<g class="node firm" data-id="{escape(firm_id)}"><circle cx="{centre}" cy="{centre}" r="26" '
                f'fill="{BAND_COLOURS.get(firm_band, BAND_COLOURS[None])}" stroke="#111" stroke-width="3"/>'
                f'<text x="{centre}" y="{centre + 44}" text-anchor="middle" font-size="13" font-weight="bold">'
                f'{escape(firm_id)}</text></g></g>')
    return _svg(size, size, body, f"Neighbourhood of {firm_id}")


def chains(guarantor_id: str, chains_: list[dict], limit: int = 40) -> str:
    """Guarantee flows to depth 4: the guarantor on the left, each hop a column to the right, every
    link as wide as the exposure at default of its guarantee (a Sankey of the chains)."""
    shown = sorted(chains_, key=lambda c: -c["exposure_at_default"])[:limit]
    columns: dict[int, list[str]] = {0: [guarantor_id]}
    links: dict[tuple[str, str, int], float] = {}
    for chain in shown:
        for depth, (a, b) in enumerate(zip(chain["path"], chain["path"][1:]), start=1):
            if b not in columns.setdefault(depth, []):
                columns[depth].append(b)
            links[(a, b, depth)] = max(links.get((a, b, depth), 0.0), chain["exposure_at_default"])
    rows = max(len(ids) for ids in columns.values())
    height, step = max(120, 26 * rows + 20), 170
    top = max(links.values(), default=1.0) or 1.0

    def place(depth: int, node_id: str) -> tuple[float, float]:
        ids = columns[depth]
        return 30 + depth * step, 10 + (ids.index(node_id) + 0.5) * (height - 20) / len(ids)

    body = []
    for (a, b, depth), ead in sorted(links.items()):
        (x1, y1), (x2, y2) = place(depth - 1, a), place(depth, b)
        body.append(f'<path class="flow" d="M{x1 + 6:.1f} {y1:.1f} C{x1 + step / 2:.1f} {y1:.1f} {x2 - step / 2:.1f} '
                    f'{y2:.1f} {x2 - 6:.1f} {y2:.1f}" fill="none" stroke="#4F7BD9" stroke-opacity="0.45" '
                    f'stroke-width="{1 + 14 * ead / top:.1f}"><title>{escape(a)} → {escape(b)}: {ead:,.0f}</title></path>')
    for depth, ids in columns.items():
        for node_id in ids:
            x, y = place(depth, node_id)
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" fill="{"#111" if depth == 0 else "#8E7CC3"}"/>'
                        f'<text x="{x + 9:.1f}" y="{y + 4:.1f}" font-size="10">{escape(node_id)}</text>')
    return _svg(30 + step * max(columns) + 120, height, body, f"Guarantee chains behind {guarantor_id}")


def pd_history(points: list[tuple[str, float]]) -> str:
    """The PD of each stored score, oldest left (empty when there is one or none)."""
    if len(points) < 2:
        return ""
    width, height = 600, 120
    top = max(pd for _, pd in points) * 1.15 or 1.0
    xy = [(40 + k * (width - 60) / (len(points) - 1), height - 20 - pd / top * (height - 40))
          for k, (_, pd) in enumerate(points)]
    body = [f'<polyline points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in xy)}" fill="none" stroke="#4F7BD9" '
            f'stroke-width="2"/>']
    for (when, pd), (x, y) in zip(points, xy):
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#4F7BD9"><title>{escape(when)}: '
                    f'{pd * 100:.2f}%</title></circle>')
    body.append(f'<text x="40" y="{height - 4}" font-size="10">{escape(points[0][0][:10])}</text>'
                f'<text x="{width - 20}" y="{height - 4}" font-size="10" text-anchor="end">{escape(points[-1][0][:10])}</text>')
    return _svg(width, height, body, "PD history")
