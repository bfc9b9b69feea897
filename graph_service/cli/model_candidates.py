"""Which models training compares: the baselines, and the GNN where the `gnn` extra is installed.

Entry points compose this (the CLI here; tests and benchmarks too); scoring and the services take
the candidates as an argument and never import torch.
"""

from __future__ import annotations

from scoring.models import Candidates, baseline_models


def installed_candidates() -> tuple[Candidates, ...]:
    try:
        from gnn.risk_model import gnn_models
    except ImportError:  # torch or PyG missing: the baselines alone
        return (baseline_models,)
    return (baseline_models, gnn_models)
