import csv

import numpy as np

from synthetic.world import generate_world


def _column(path, name):
    with path.open() as handle:
        return [row[name] for row in csv.DictReader(handle)]


def test_the_world_looks_like_the_problem(tmp_path):
    world = generate_world(tmp_path, firms=5_000, seed=11)
    graph = world.graph_dir
    assert 0.4 <= world.firms_with_loans / world.firms <= 0.6  # about half the firms are thin-file
    assert world.planted_circles > 0 and 0 < world.defaulted_loans < world.loans
    # A power-law trade network: a few firms have many customers, most a handful.
    suppliers = np.unique(_column(graph / "TRADES_WITH.csv", "from_id"), return_counts=True)[1]
    assert suppliers.max() > 10 * np.median(suppliers)
    # Firm-to-firm guarantees exist beside guarantee companies.
    assert {"Firm", "Guarantor"} <= set(_column(graph / "GUARANTEES.csv", "from_label"))
    # Weak firms misreport more often (the truth file is for evaluation only).
    with (tmp_path / "ground_truth.csv").open() as handle:
        truth = list(csv.DictReader(handle))
    quality = np.array([float(r["quality"]) for r in truth])
    misreports = np.array([int(r["misreports"]) for r in truth])
    assert misreports[quality < 0.5].mean() > 2 * misreports[quality > 0.8].mean()


def test_the_same_seed_gives_the_same_world(tmp_path):
    generate_world(tmp_path / "a", firms=2_000, seed=5)
    generate_world(tmp_path / "b", firms=2_000, seed=5)
    for path in (tmp_path / "a" / "graph").iterdir():
        assert path.read_bytes() == (tmp_path / "b" / "graph" / path.name).read_bytes(), path.name
