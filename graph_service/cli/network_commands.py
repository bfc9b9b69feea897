"""Risk in the guarantee and lending network: `trustnet patterns`, `track-records` and `stress`."""

from __future__ import annotations

import click

from graph_service.cli.context import command_settings, opened_store
from graph_service.core.errors import TrustNetError


@click.command("patterns")
@click.option("--show", type=click.IntRange(0, 10_000), default=10, show_default=True,
              help="How many circles to list.")
def patterns_command(show: int) -> None:
    """Find guarantee circles, mutual pairs, chains and stars among firms, and flag them on the firms."""
    import time

    from graph_service.network_risk.guarantee_patterns import CHAIN_MIN, MAX_CIRCLE, STAR_MIN, detect_and_flag

    started = time.perf_counter()
    with opened_store() as store:
        found = detect_and_flag(store)
    click.echo(f"{len(found.firms):,} firms guarantee or are guaranteed by firms "
               f"({time.perf_counter() - started:.1f} s):")
    click.echo(f"  circles (up to {MAX_CIRCLE} firms): {len(found.circles):,}, of which mutual pairs "
               f"{len(found.mutual_pairs):,}")
    click.echo(f"  firms heading a chain of {CHAIN_MIN}+ guarantees: {len(found.chain_depth):,}; "
               f"stars ({STAR_MIN}+ firms guaranteed): {len(found.stars):,}")
    if found.truncated_components:
        click.echo(f"  {found.truncated_components} tangled component(s): only their first circles listed")
    for circle in found.circles[:show]:
        click.echo("  circle: " + " -> ".join(circle + circle[:1]))
    click.echo("Flags on firms: guarantee_circle_size, guarantee_mutual_pair, guarantee_chain_depth, guarantee_star.")


@click.command("track-records")
@click.option("--show", type=click.IntRange(0, 10_000), default=10, show_default=True,
              help="How many recommenders to list, poorest record first.")
def track_records_command(show: int) -> None:
    """Put each chamber's and market's track record (how the firms it recommended performed) on its node."""
    from graph_service.services.track_records import record_track_records

    with opened_store() as store:
        records = record_track_records(store)
    rows = [(label, r["id"], r["properties"]) for label, found in records.items() for r in found]
    if not rows:
        click.echo("No chambers or markets in the graph.")
        return
    base = rows[0][2]["track_base_rate"]
    poor = sum(p["track_poor"] for _, _, p in rows)
    click.echo(f"{len(rows):,} recommenders; network default rate {base:.2%}; {poor} with a poor record "
               "(at least 5 outcomes, and its 95% interval reaches the network's rate: no better than chance). "
               "Properties track_* on Chamber and Market nodes.")
    ranked = sorted(rows, key=lambda r: (-r[2]["track_poor"], -(r[2]["track_default_rate"] or 0), r[1]))
    for label, node_id, p in ranked[:show]:
        rate = "no outcomes yet" if p["track_default_rate"] is None else (
            f"{p['track_defaulted']}/{p['track_known']} defaulted = {p['track_default_rate']:.2%} "
            f"[{p['track_rate_low']:.2%}, {p['track_rate_high']:.2%}]")
        click.echo(f"  {label:<8} {node_id:<8} {p['track_recommended']:>6,} recommended; {rate}"
                   f"{'  POOR' if p['track_poor'] else ''}")


@click.command("stress")
@click.option("--default", "defaulted", multiple=True, required=True, metavar="FIRM_ID",
              help="A firm assumed to default (repeat the option for several).")
@click.option("--top", type=click.IntRange(1, 10_000), default=10, show_default=True,
              help="How many affected guarantors, banks and firms to list.")
@click.option("--central", type=click.IntRange(0, 10_000), default=0, show_default=True,
              help="Also rank this many firms by the distress their default alone would spread.")
def stress_command(defaulted: tuple[str, ...], top: int, central: int) -> None:
    """DebtRank stress test: the distress reaching guarantors, banks and firms if these firms default."""
    from graph_service.runtime.network_view import read_exposure_snapshot
    from graph_service.network_risk.stress_test import debtrank, exposure_network, too_central_to_fail

    settings = command_settings()
    with opened_store(settings) as store:
        network = exposure_network(read_exposure_snapshot(store), settings.loss_given_default)
    missing = [f for f in defaulted if ("Firm", f) not in network.index]
    if missing:
        raise TrustNetError(f"no firm with id {', '.join(repr(f) for f in missing)}")
    result = debtrank(network, [("Firm", f) for f in defaulted])
    affected = result.affected()
    click.echo(f"DebtRank {result.debtrank:.4f} after {result.rounds} round(s); {len(affected):,} nodes affected "
               f"(LGD {settings.loss_given_default:.0%})")
    for label in ("Guarantor", "Bank", "Firm"):
        rows = [r for r in affected if r["label"] == label][:top]
        if rows:
            click.echo(f"  {label.lower()}s losing most (share of capital):")
            for r in rows:
                click.echo(f"    {r['id']:<14} {r['loss_fraction']:.4f}")
    if central:
        click.echo(f"  too central to fail (of the {central} firms with the largest direct impact):")
        for r in too_central_to_fail(network, central)[:top]:
            click.echo(f"    {r['id']:<14} DebtRank {r['debtrank']:.4f}, {r['affected']:,} affected")


COMMANDS = (patterns_command, track_records_command, stress_command)
