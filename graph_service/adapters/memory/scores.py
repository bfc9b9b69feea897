"""ScoreStore in memory."""

from __future__ import annotations

from datetime import datetime

from graph_service.adapters.memory.graph import MemoryGraph
from graph_service.core.domain import ScoreRow


class MemoryScores(MemoryGraph):
    def save_model(self, version: str, properties: dict) -> None:
        self.nodes.setdefault(("Model", version), {"id": version}).update(properties)

    def save_scores(self, version: str, rows: list[ScoreRow]) -> int:
        written = 0
        for row in rows:
            firm_key = ("Firm", row.firm_id)
            if firm_key not in self.nodes or ("Model", version) not in self.nodes:
                continue
            written += 1
            score = dict(row.properties)
            self.nodes[("Score", score["id"])] = score
            self.relationships[("Firm", row.firm_id, "HAS_SCORE", "Score", score["id"])] = {}
            self.relationships[("Score", score["id"], "SCORED_BY", "Model", version)] = {}
            self.nodes[firm_key].update({k: score[k] for k in ("pd", "score", "grade", "scored_at")},
                                        model_version=version)
        return written

    def latest_score(self, firm_id: str) -> dict | None:
        scores = [self.nodes[("Score", key[4])] for key in self.relationships
                  if key[:3] == ("Firm", firm_id, "HAS_SCORE")]
        return max(scores, key=lambda s: s["scored_at"], default=None)

    def score_history(self, firm_id: str, limit: int) -> list[dict]:
        scores = [self.nodes[("Score", key[4])] for key in self.relationships
                  if key[:3] == ("Firm", firm_id, "HAS_SCORE")]
        return sorted(scores, key=lambda s: s["scored_at"], reverse=True)[:limit]

    def score_states(self, firm_ids: list[str]) -> dict[str, tuple[datetime | None, dict | None]]:
        def changed(firm: dict):
            stamps = [t for t in (firm.get("last_loaded_at"), firm.get("changed_at")) if t is not None]
            return max(stamps, default=None)

        return {firm_id: (changed(self.nodes[("Firm", firm_id)]), self.latest_score(firm_id))
                for firm_id in firm_ids if ("Firm", firm_id) in self.nodes}
