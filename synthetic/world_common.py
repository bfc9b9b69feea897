"""What the synthetic world's modules share: its sectors, regions and calendar, and small CSV/ID helpers."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

SECTORS = np.array(["manufacturing", "retail", "wholesale", "construction", "logistics", "agriculture", "services"])
REGIONS = np.array(["north", "south", "east", "west", "central"])
START = np.datetime64("2019-01-01")
OBSERVED_UNTIL = np.datetime64("2025-12-31")  # loan statuses are as of this day


def annual_pd(quality: np.ndarray) -> np.ndarray:
    """About 0.5% a year for the best firms, 4% for a median one, over 20% for the worst."""
    return 1.0 / (1.0 + np.exp(-(-3.3 + 7.0 * (0.6 - quality))))


def days(values: np.ndarray) -> np.ndarray:
    """Dates as ISO day strings."""
    return np.datetime_as_string(values.astype("datetime64[D]"), unit="D")


def write_csv(path: Path, columns: dict[str, np.ndarray | list]) -> None:
    """Write equal-length columns as a CSV file with a header row."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(columns)
        out.writerows(zip(*(c.tolist() if isinstance(c, np.ndarray) else c for c in columns.values())))


def ids(prefix: str, count: int) -> np.ndarray:
    """`count` zero-padded ids such as F00000, F00001, ..."""
    width = max(5, len(str(count)))
    return np.char.add(prefix, np.char.zfill(np.arange(count).astype(str), width))
