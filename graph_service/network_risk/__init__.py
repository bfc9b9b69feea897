"""Network risk as pure algorithms on a snapshot: guarantee patterns (circles, chains, stars) and DebtRank stress tests."""
