"""The evaluation report: a comparison table on the terminal, and Markdown + PNG plots in reports/."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from scoring.contract import ScoreScale
from scoring.evaluation_results import Evaluation
from scoring.metrics import HEADER

def _fold_spread(result) -> str:
    folds = [a for a in result.fold_aucs if not np.isnan(a)]
    return f"{np.mean(folds):.3f} ± {np.std(folds):.3f}" if folds else ""


def _dates(evaluation: Evaluation) -> str:
    return ", ".join(str(d) for d in evaluation.train_dates) or str(evaluation.train.as_of)


def comparison_rows(evaluation: Evaluation) -> list[list[str]]:
    rows = []
    for result in evaluation.results:
        mark = " (shipped)" if result.name == evaluation.shipped else " (refused)" if result.refusal else ""
        for k, (group, metrics) in enumerate(result.test.items()):
            rows.append([result.name + mark if k == 0 else "", group, *metrics.row(),
                         f"{result.validation_thin_auc:.3f}" if k == 0 else "",
                         _fold_spread(result) if k == 0 else ""])
    return rows


COLUMNS = ["model", "test firms", *HEADER, "choice AUC", "fold AUC mean ± std"]


def protocol_lines(evaluation: Evaluation) -> list[str]:
    """How it was evaluated, what the scored firms were found to lack, and why the shipped model shipped."""
    timed = evaluation.timed
    lines = [f"Protocol: {evaluation.protocol}. Choice AUC: on validation, "
             + ("the thin-file firms' AUC." if timed else "its worst segment's out-of-fold AUC.")]
    if timed:
        panel, split = evaluation.panel, evaluation.date_split
        lines.append(f"Training panel: {len(evaluation.train.y):,} firm-date rows, one per firm at risk at each of "
                     f"{len(evaluation.train_dates)} as-of dates ({_dates(evaluation)}), {panel.step_days} days "
                     f"apart, " + ("every labelled period" if panel.periods is None else
                                   f"at most {panel.periods} (--periods)") + "; "
                     + ("a quarter of the firms validate." if split is None else
                        f"the rows as of {split.train_until} or later validate (--train-until), the others fit; "
                        f"the shipped model is refit on all of them."))
    if evaluation.cv_repeats > 1:
        lines.append(f"Repeated cross-validation: each model is judged in each of the {evaluation.cv_repeats} repeats "
                     f"(refused if any refuses it; choice AUC is the mean) and calibrated on all of their "
                     f"out-of-fold scores; the table's metrics are the first repeat's, the fold column spans "
                     f"every fold of every repeat.")
    if evaluation.lack_findings:
        lines.append("What the firms to be scored lack, against the labelled firms (inferred; set it with --lacks):")
        lines += [f"  {finding.line()}" for finding in evaluation.lack_findings]
    lacks = ", ".join(lack.name for lack in evaluation.lacks) or "nothing beyond their own outcome"
    lines.append(f"Validation firms scored like them lack: {lacks}.")
    return lines + evaluation.choice


def ablation_lines(evaluation: Evaluation) -> list[str]:
    """Whether leaving something out of the shipped model changed its thin-file AUC on the test year."""
    lines = []
    for _, left_out, result in evaluation.ablations:  # time split only: thin-file AUCs
        shipped = evaluation.shipped_result().test["thin-file"].auc
        without = result.test["thin-file"].auc
        low, high = result.thin_auc_change
        verdict = ("could not be judged (one class only)" if np.isnan(low) else "raised it" if low > 0 else
                   "lowered it" if high < 0 else "did not change it beyond sampling noise")
        lines.append(f"Recommender track records ({left_out}): thin-file AUC {shipped:.3f} with them, "
                     f"{without:.3f} without; with minus without {shipped - without:+.3f} "
                     f"(95% paired bootstrap [{low:+.3f}, {high:+.3f}]): using them {verdict}.")
    return lines


def grade_line(evaluation: Evaluation, scale: ScoreScale) -> str:
    """How the shipped model's PDs on the test firms spread over the master scale's grades."""
    counts = Counter(scale.grade(float(pd)) for pd in evaluation.shipped_result().test_pd)
    bounds = ", ".join(f"{b:g}" for b in scale.grade_bounds)
    return (f"Grades of the shipped model on the {len(evaluation.test.y):,} test firms (master scale, upper PD "
            f"bounds of grades 1-9: {bounds}; TRUSTNET_MASTER_SCALE): "
            + ", ".join(f"{g}: {counts.get(g, 0):,}" for g in map(str, range(1, len(scale.grade_bounds) + 2))))


def as_text(evaluation: Evaluation, scale: ScoreScale = ScoreScale()) -> str:
    rows = [COLUMNS, *comparison_rows(evaluation)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(COLUMNS))]
    lines = ["  ".join(cell.ljust(w) if i < 2 else cell.rjust(w) for i, (cell, w) in enumerate(zip(r, widths)))
             for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    lines.append("")
    lines.extend(protocol_lines(evaluation))
    lines.extend(ablation_lines(evaluation))
    lines.append(grade_line(evaluation, scale))
    lines.append("Reliability of the shipped model on the test firms (PD band, firms, mean PD, observed default rate):")
    for band, count, mean_pd, observed in evaluation.reliability():
        lines.append(f"  {band:>15}  {count:>7,}  {mean_pd:8.4f}  {observed:8.4f}")
    return "\n".join(lines)


def write_report(evaluation: Evaluation, folder: Path, title: str, scale: ScoreScale = ScoreScale()) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import roc_curve

    folder.mkdir(parents=True, exist_ok=True)
    test = evaluation.test
    figure, axes = plt.subplots(1, 2, figsize=(12, 5))
    timed = evaluation.timed
    group, rows = ("thin-file", test.thin) if timed else ("all", np.ones(len(test.y), dtype=bool))
    for result in evaluation.results:
        fpr, tpr, _ = roc_curve(test.y[rows], result.test_risk[rows])
        axes[0].plot(fpr, tpr, label=f"{result.name} ({result.test[group].auc:.3f})")
    axes[0].plot([0, 1], [0, 1], ":", color="grey")
    axes[0].set(title=f"ROC, {group} test firms" + ("" if timed else " (out of fold)"),
                xlabel="false positive rate", ylabel="true positive rate")
    axes[0].legend(fontsize=7, loc="lower right")
    bands = evaluation.reliability()
    predicted = [b[2] for b in bands]
    observed = [b[3] for b in bands]
    top = max(predicted + observed + [0.01]) * 1.1
    axes[1].plot(predicted, observed, "o-", label=evaluation.shipped)
    axes[1].plot([0, top], [0, top], ":", color="grey")
    axes[1].set(title="Calibration of the shipped model (test firms)", xlabel="mean predicted PD",
                ylabel="observed default rate", xlim=(0, top), ylim=(0, top))
    axes[1].legend(fontsize=7)
    figure.tight_layout()
    figure.savefig(folder / "evaluation.png", dpi=110)
    plt.close(figure)

    table = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    table += ["| " + " | ".join(row) + " |" for row in comparison_rows(evaluation)]
    reliability = ["| PD band | firms | mean PD | observed default rate |", "|---|---|---|---|"]
    reliability += [f"| {b} | {c:,} | {p:.4f} | {o:.4f} |" for b, c, p, o in evaluation.reliability()]
    when = (f"Training years from {_dates(evaluation)}, test year from {test.as_of}; {len(test.y):,} test firms "
            f"({int(test.thin.sum()):,} scored thin-file)" if timed else
            f"Static verdicts as of {test.as_of}, {evaluation.protocol}; {len(test.y):,} labelled firms, each "
            f"tested once out of fold")
    text = "\n".join([
        f"# {title}", "",
        f"Written {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC. {when}, {int(test.y.sum()):,} defaults.", "",
        *table, "",
        *protocol_lines(evaluation), "",
        *ablation_lines(evaluation), "",
        "AUC, PR-AUC, KS and precision@5% rank by each model's raw score; Brier uses its calibrated PD.", "",
        "## Grades and reliability of the shipped model", "", grade_line(evaluation, scale), "", *reliability, "",
        "![ROC and calibration](evaluation.png)", "",
    ])
    path = folder / "evaluation.md"
    path.write_text(text, encoding="utf-8")
    return path

