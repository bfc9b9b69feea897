"""Network credit scoring without torch: graph snapshots, outcomes, features, baselines, propagation, metrics."""
