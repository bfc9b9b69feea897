"""Network credit scoring without torch: outcomes, features, the model interface and baselines, propagation, the evaluation protocol, training, scores against the contract, metrics."""
