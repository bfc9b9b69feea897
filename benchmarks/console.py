"""The console's speed on the demo world: score-card page p50 / p95, and a 1,000-firm batch upload
from the file sent to the CSV received.

    make demo                      # the 20,000-firm demo world, trained, scored and served
    python benchmarks/console.py   # --cards 300 --batch 1000

It signs in as a bank officer with a key made for the run (revoked after), as a browser does (the
sign-in page's CSRF token, then the form), reads score cards of random scored firms one after
another (each a whole page: session and key check, the score through the API's own service,
the firm's ties and its neighbours' bands, its score history, the audit record, the SVG), then
uploads a CSV of firm ids and reads the CSV back. Goals (issue 13): p95 under 300 ms, the batch
under 10 s.
"""

from __future__ import annotations

import argparse
import csv
import http.cookiejar
import io
import random
import re
import statistics
import sys
import time
import urllib.parse
import urllib.request
import uuid

from graph_service.adapters.neo4j_store import open_neo4j_store
from graph_service.core.settings import Settings
from graph_service.services.api_keys import create_key, revoke_key

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _opener():
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def _sign_in(opener, base: str, key: str) -> str:
    page = opener.open(f"{base}/console/sign-in").read().decode()
    body = urllib.parse.urlencode({"api_key": key, "csrf_token": TOKEN.search(page).group(1)}).encode()
    home = opener.open(urllib.request.Request(f"{base}/console/sign-in", data=body)).read().decode()
    return TOKEN.search(home).group(1)


def _multipart(fields: dict[str, str], name: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                 f"Content-Type: text/csv\r\n\r\n".encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, default=300, help="score-card pages to read")
    parser.add_argument("--batch", type=int, default=1000, help="firm ids in the uploaded CSV")
    args = parser.parse_args()
    settings = Settings.from_env()
    base = f"http://{settings.api_browser_host}:{settings.api_port}"
    with open_neo4j_store(settings) as store:
        firms = sorted(firm_id for firm_id, props in store.export_nodes("Firm") if props.get("grade"))
        bank = sorted(bank_id for bank_id, _ in store.export_nodes("Bank"))[0]
        key, record = create_key(store, "bank", "console benchmark", ("Bank", bank))
        try:
            opener = _opener()
            token = _sign_in(opener, base, key)
            rng = random.Random(7)
            for firm in rng.sample(firms, 10):  # warm up: the model loaded, the caches filled
                opener.open(f"{base}/console/firms/{urllib.parse.quote(firm)}").read()
            times = []
            for firm in rng.sample(firms, min(args.cards, len(firms))):
                started = time.perf_counter()
                page = opener.open(f"{base}/console/firms/{urllib.parse.quote(firm)}").read()
                times.append(time.perf_counter() - started)
                assert b'id="reasons"' in page or b"Every part of this firm" in page, firm
            ids = rng.sample(firms, min(args.batch, len(firms)))
            body, kind = _multipart({"csrf_token": token}, "firms", "batch.csv",
                                    ("firm_id\n" + "\n".join(ids) + "\n").encode())
            started = time.perf_counter()
            answer = opener.open(urllib.request.Request(f"{base}/console/batch", data=body,
                                                        headers={"Content-Type": kind})).read().decode()
            batch_s = time.perf_counter() - started
        finally:
            revoke_key(store, record["id"])
    rows = list(csv.DictReader(io.StringIO(answer)))
    scored = sum(1 for r in rows if r["pd"])
    cuts = statistics.quantiles(times, n=100)
    print(f"console on {base}, {len(firms):,} scored firms, bank {bank}")
    print(f"score-card page, {len(times)} firms one after another: p50 {cuts[49] * 1000:.0f} ms, "
          f"p95 {cuts[94] * 1000:.0f} ms, max {max(times) * 1000:.0f} ms (goal: p95 under 300 ms)")
    print(f"batch upload of {len(ids):,} firm ids: {batch_s:.2f} s end to end, {scored:,} rows scored, "
          f"{len(rows) - scored} failed (goal: under 10 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
