"""Benchmark: requests per second of the public site under gunicorn, with wrk, at national size.

    .venv/bin/python bench/throughput.py [--organisations 7850] [--years 5] [--duration 20] [--runs 3]

The database is `ita_bench` on PostgreSQL (127.0.0.1:5432, user postgres; `--database-url` to
change). When it does not exist it is created, migrated and filled by
`manage.py load_frameworks` and
`manage.py generate_national_data --organisations N --years Y`; the demo organisations are then
loaded and ทต.เขาหัวช้าง's 2566 measures and 12-month report (seed 000) taken through their
approval chain and published. Only databases whose name starts with `ita_bench` are ever created
or dropped (`--rebuild`).

The portal runs as in production: `gunicorn ita_portal.wsgi -w 2`, DEBUG off, persistent database
connections (CONN_MAX_AGE, `--conn-max-age`). wrk (`apt-get install wrk`) then requests, at each
number of connections (8 and 64) and after a warm-up of the same length:

- the public page of the published 12-month report, /khao-hua-chang/2566/report-12/;
- the organisation page of the organisation with the most publications (5 years of documents,
  rounds and ITA results in the national data);
- the same report page's bytes as a static file served by WhiteNoise through the same gunicorn
  (the practical limit of this server on this machine).

Each case runs `runs` times, the cases in turn; the table gives medians, the median of each
round's ratio to the static file, and the load average (uptime) before each run.

`--long-tail` measures instead what thousands of organisations' visitors do: every request
a random URL among ALL public pages of the database (each organisation's page and each document's page,
withdrawn ones left out; `--with-versions`: each version's own page too), chosen by a wrk Lua script
(bench/out/longtail.lua, written by this script), against three servers started side by side: one
with the default settings (a local-memory cache in each worker), one with Redis as the shared
cache (`--redis-url`, a database of its own that is emptied first) and one whose workers' caches
hold 8 entries (`locmemcache://cold?max_entries=8`: no page is ever in them, every request is a
cold page, found in the copy kept in the database, PublicPage), and the static file, in rounds. Before the rounds every URL is requested `--warm-walks` times on each server (16 clients
at once: the pages a public site has served before, as a long-running server has). `--gzip` asks as a browser does
(Accept-Encoding: gzip: kept pages are sent as they are kept, the static file as its .gz, as
WhiteNoise sends it). `--without-page-cache` measures the pages
as they were before reports.public.caching.PublicPageCache. The settings module the server runs with is
ita_portal.settings with STATIC_ROOT under bench/out/ (written by this script), and nothing
else.
"""

import argparse
import gzip
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
STATIC = OUT / "static"
PYTHON = sys.executable
DOCUMENT_PATH = "/khao-hua-chang/2566/report-12/"
STATIC_PATH = "/static/bench/report-12.html"
SETTINGS = """# Written by bench/throughput.py: the portal's settings with the static root under bench/out/.
from ita_portal.settings import *  # noqa: F403

STATIC_ROOT = {static!r}
if {without_cache!r}:  # --without-page-cache: the pages rendered on every request, as before the cache
    MIDDLEWARE = [m for m in MIDDLEWARE if m != "reports.public.caching.PublicPageCache"]  # noqa: F405
"""


# --- The database ------------------------------------------------------------------------


def _admin_url(url: str) -> tuple[str, str]:
    """The server's maintenance database URL and the benchmark database's name."""
    match = re.fullmatch(r"(postgres(?:ql)?://[^/]*)/([A-Za-z0-9_]+)", url)
    if not match or not match[2].startswith("ita_bench"):
        raise SystemExit(f"refusing {url!r}: the benchmark only uses PostgreSQL databases named ita_bench…")
    return f"{match[1]}/postgres", match[2]


def _psql(admin: str, sql: str) -> str:
    return subprocess.run(["psql", admin, "-XAtc", sql], capture_output=True, text=True, check=True).stdout.strip()


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], env=env, check=True, cwd=ROOT)


def ensure_database(args, env: dict) -> None:
    admin, name = _admin_url(args.database_url)
    # The name is checked by _admin_url: letters, digits and _ only.
    exists = _psql(admin, f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"  # noqa: S608
    if exists and args.rebuild:
        _psql(admin, f'DROP DATABASE "{name}"')
        exists = False
    if exists:
        log(f"Using the existing database {name} (--rebuild to make it again).")
        publish_seed_in(env)  # nothing to do once done
        return
    log(f"Creating {name}: {args.organisations} organisations × {args.years} years …")
    _psql(admin, f'CREATE DATABASE "{name}"')
    try:
        started = time.perf_counter()
        manage(env, "migrate", "-v0")
        manage(env, "load_frameworks")
        manage(env, "generate_national_data", "--organisations", str(args.organisations), "--years", str(args.years))
        log(f"National data generated in {time.perf_counter() - started:.0f} s.")
        publish_seed_in(env)
    except BaseException:
        _psql(admin, f'DROP DATABASE "{name}"')  # never leave a half-built database to be reused
        raise


def publish_seed_in(env: dict) -> None:
    subprocess.run([PYTHON, __file__, "--publish-seed"], env=env, check=True)


def publish_seed() -> None:
    """Take ทต.เขาหัวช้าง's 2566 measures and 12-month report through the chain and publish them."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita_portal.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # an existing database follows the code's models

    from measures import workflow
    from measures.devdata.demo import load_demo
    from measures.models import DocumentStatus, MeasuresDocument, Organisation
    from reports import publishing

    if not Organisation.objects.filter(slug="khao-hua-chang").exists():
        load_demo()
    officer = get_user_model().objects.get(username="officer")
    document = MeasuresDocument.objects.get(organisation__slug="khao-hua-chang", fiscal_year=2566)
    for target in (document, document.reports.get(round=12)):
        target.refresh_from_db()
        if target.status == DocumentStatus.PUBLISHED:
            continue
        if target.status == DocumentStatus.DRAFT:
            submission = workflow.submit(target=target, by=officer)
            while submission.current:
                approver = get_user_model().objects.get(pk=submission.current["approver_ids"][0])
                workflow.decide(submission=submission, by=approver, approve=True)
                submission.refresh_from_db()
            target.refresh_from_db()
        publishing.publish(target=target, by=officer)


def shell_json(env: dict, code: str):
    """What `code`, run by `manage.py shell` against the benchmark database, prints as JSON last."""
    out = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), "shell", "-v0", "-c", code],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def describe(env: dict) -> dict:
    code = (
        "import json; from django.db.models import Count; from measures.models import Organisation, "
        "MeasuresDocument; from reports.models import Publication; print(json.dumps({"
        "'organisations': Organisation.objects.count(), 'documents': MeasuresDocument.objects.count(), "
        "'publications': Publication.objects.count(), 'busiest': Organisation.objects.annotate("
        "n=Count('publications')).order_by('-n', 'pk').values_list('slug', flat=True).first()}))"
    )
    return shell_json(env, code)


# --- The server and wrk ------------------------------------------------------------------


class Server:
    def __init__(self, env: dict, port: int, workers: int):
        self.env, self.port, self.workers, self.process = env, port, workers, None

    def __enter__(self):
        self.process = subprocess.Popen(
            [
                str(Path(PYTHON).parent / "gunicorn"),
                "ita_portal.wsgi",
                "-w",
                str(self.workers),
                "-b",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            env=self.env,
            cwd=ROOT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                fetch(self.port, "/robots.txt")
                return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def fetch(port: int, path: str) -> bytes:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:  # noqa: S310 - localhost
        return response.read()


def load() -> str:
    """The load average (1, 5, 15 min) as uptime prints it."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def wrk(port: int, path: str, connections: int, duration: int, script: Path | None = None, gzip: bool = False) -> dict:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "--timeout",
            "10s",
            *(["-s", str(script)] if script else []),
            *(["-H", "Accept-Encoding: gzip"] if gzip else []),
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
        "requests": int(re.search(r"(\d+) requests in", out)[1]),
        "p50": _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M)[1]),
        "p99": _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M)[1]),
        "non2xx": int(m[1]) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0,
        "errors": 0,
    }
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        result["errors"] = sum(int(x) for x in m.groups())
    return result


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def public_paths(env: dict, *, with_versions: bool) -> list[str]:
    """The public pages of the database: each organisation's and each document's (the newest
    version's page), and with_versions each version's own page too."""
    code = (
        "import json; from django.urls import reverse; from measures.models import Organisation; "
        "from reports.models import Publication; paths = [reverse('reports:organisation', args=[s]) "
        "for s in Organisation.objects.order_by('pk').values_list('slug', flat=True)]; newest = {}; "
        "rows = Publication.objects.order_by('organisation_id', 'fiscal_year', 'kind', 'version').values_list("
        "'organisation__slug', 'fiscal_year', 'kind', 'version', 'withdrawn_at'); "
        "[newest.__setitem__((o, y, k), w is None) for o, y, k, v, w in rows]; "
        "paths += [reverse('reports:publication_latest', args=[o, y, k]) for (o, y, k), live in newest.items() if live]; "
        "paths += [reverse('reports:publication_version', args=[o, y, k, v]) for o, y, k, v, w in rows "
        f"if w is None and {with_versions!r}]; "
        "print(json.dumps(paths))"
    )
    return shell_json(env, code)


LONG_TAIL_LUA = """-- Written by bench/throughput.py: {count} public pages, one chosen at random for each request.
local paths = {{
{paths}
}}
local threads = 0
function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end
function init(args)
  math.randomseed(os.time() * 1000 + id * 7919)
end
function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
"""


def long_tail_script(paths: list[str]) -> Path:
    """A wrk script asking for a random one of `paths` each time."""
    script = OUT / "longtail.lua"
    script.write_text(LONG_TAIL_LUA.format(count=len(paths), paths=",\n".join(json.dumps(p) for p in paths)))
    return script


def walk(port: int, paths: list[str], times: int, clients: int = 16) -> tuple[int, int]:
    """Every path asked for `times` times, by `clients` at once: (requests, answers other than 200)."""
    from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415

    def status(path: str) -> int:
        try:
            fetch(port, path)
        except urllib.error.HTTPError as error:
            return error.code
        return 200

    with ThreadPoolExecutor(clients) as pool:
        statuses = list(pool.map(status, paths * times))
    return len(statuses), sum(s != 200 for s in statuses)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=7850)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/ita_bench")
    parser.add_argument("--rebuild", action="store_true", help="drop and make the benchmark database again")
    parser.add_argument("--connections", default="8,64")
    parser.add_argument("--duration", type=int, default=20, help="seconds of each wrk run (and of its warm-up)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--conn-max-age", default="600", help="CONN_MAX_AGE of the server (0: a connection per request)"
    )
    parser.add_argument("--cache-url", help="CACHE_URL of the server (default: the portal's default cache)")
    parser.add_argument("--only", help="comma-separated cases: document, organisation, static")
    parser.add_argument("--prepare-only", action="store_true", help="build the database and stop")
    parser.add_argument("--long-tail", action="store_true", help="random URLs among all public pages (see above)")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13", help="the shared cache of --long-tail")
    parser.add_argument("--with-versions", action="store_true", help="--long-tail: each version's page too")
    parser.add_argument(
        "--gzip",
        action="store_true",
        help="ask as browsers do (Accept-Encoding: gzip): kept pages are sent as kept, the static file as its .gz",
    )
    parser.add_argument("--warm-walks", type=int, default=2, help="--long-tail: requests of every page before")
    parser.add_argument(
        "--without-page-cache",
        action="store_true",
        help="leave out reports.public.caching.PublicPageCache (the figures before it)",
    )
    args = parser.parse_args()

    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "CACHE_URL")}
    env |= {
        "DATABASE_URL": args.database_url,
        "DEBUG": "false",
        "CONN_MAX_AGE": args.conn_max_age,
        "PYTHONPATH": os.pathsep.join([str(OUT), str(ROOT)]),
        "EMAIL_URL": "dummymail://",
    }
    if args.cache_url:
        env["CACHE_URL"] = args.cache_url
    ensure_database(args, env)
    database = describe(env)
    log(f"Database: {database}")
    if args.prepare_only:
        return

    STATIC.joinpath("bench").mkdir(parents=True, exist_ok=True)
    OUT.joinpath("throughput_settings.py").write_text(
        SETTINGS.format(static=str(STATIC), without_cache=args.without_page_cache)
    )
    env["DJANGO_SETTINGS_MODULE"] = "throughput_settings"
    with Server(env, args.port, args.workers):  # the page's bytes, as this server sends them
        page = fetch(args.port, DOCUMENT_PATH)
    STATIC.joinpath(STATIC_PATH.removeprefix("/static/")).write_bytes(page)
    # and compressed, as collectstatic's CompressedStaticFilesStorage writes it (WhiteNoise sends it
    # to a client that accepts gzip)
    STATIC.joinpath(STATIC_PATH.removeprefix("/static/") + ".gz").write_bytes(gzip.compress(page, 9, mtime=0))
    log(f"Document page: {len(page):,} bytes, saved as {STATIC_PATH}")

    if args.long_tail:
        return long_tail(args, env, database)

    # The organisation page of the organisation with the most publications (the national data's).
    cases = {"document": DOCUMENT_PATH, "organisation": f"/{database['busiest']}/", "static": STATIC_PATH}
    if args.only:
        cases = {k: v for k, v in cases.items() if k in args.only.split(",")}
    connections = [int(c) for c in args.connections.split(",")]
    results: dict[tuple[str, int], list[dict]] = {}
    with Server(env, args.port, args.workers):
        for name, path in cases.items():
            log(f"{name}: {len(fetch(args.port, path)):,} bytes")
        for n in connections:
            for path in cases.values():
                wrk(args.port, path, n, max(5, args.duration // 2), gzip=args.gzip)  # warm-up
            # Round robin: each page's run and the static file's run see much the same machine.
            for run in range(args.runs):
                for name, path in cases.items():
                    before = load()
                    r = wrk(args.port, path, n, args.duration, gzip=args.gzip) | {"load": before}
                    results.setdefault((name, n), []).append(r)
                    log(
                        f"  {name} c={n} run {run + 1}: {r['rps']:.0f} req/s p50 {r['p50']:.1f} ms "
                        f"p99 {r['p99']:.1f} ms non-2xx {r['non2xx']} errors {r['errors']} load {before}"
                    )

    print(
        f"\nDatabase: {database['organisations']:,} organisations, {database['documents']:,} measures documents, "
        f"{database['publications']:,} publications. gunicorn -w {args.workers}, CONN_MAX_AGE={args.conn_max_age}, "
        f"CACHE_URL={args.cache_url or '(default)'}"
        f"{', without the page cache' if args.without_page_cache else ''}."
    )
    header = " -H 'Accept-Encoding: gzip'" if args.gzip else ""
    print(f"wrk -t2 -d{args.duration}s --latency{header}, {args.runs} runs per case after a warm-up; medians.\n")
    print(
        "| page | connections | requests/s | p50 | p99 | non-2xx / errors | ÷ static (per round) "
        "| load before each run (1/5/15 min) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for n in connections:
        static = results.get(("static", n), [{"rps": float("nan")}] * args.runs)
        for name, path in cases.items():
            runs = results[(name, n)]
            rps = statistics.median(r["rps"] for r in runs)
            # The median of each round's ratio: a round's runs follow each other, on much the same machine.
            ratio = statistics.median(r["rps"] / s["rps"] for r, s in zip(runs, static, strict=True))
            print(
                f"| {name} `{path}` | {n} | {rps:,.0f} | {statistics.median(r['p50'] for r in runs):.1f} ms "
                f"| {statistics.median(r['p99'] for r in runs):.1f} ms "
                f"| {sum(r['non2xx'] for r in runs)} / {sum(r['errors'] for r in runs)} "
                f"| {ratio:.2f} | {'; '.join(r['load'] for r in runs)} |",
                flush=True,
            )


def _flush_redis(url: str) -> None:
    import redis  # noqa: PLC0415 - the portal's own Redis client (requirements.txt)

    redis.Redis.from_url(url).flushdb()


def long_tail(args, env: dict, database: dict) -> None:
    paths = public_paths(env, with_versions=args.with_versions)
    random_script = long_tail_script(paths)
    log(f"Long tail: {len(paths):,} public pages ({random_script})")
    _flush_redis(args.redis_url)
    redis_env = env | {"CACHE_URL": args.redis_url}
    # Workers whose cache is too small to hold any page (8 entries: the site's generation and the
    # last few pages): every request is a page the worker does not hold, found in the database's
    # kept copy (PublicPage): what a cold page costs.
    bare_env = env | {"CACHE_URL": "locmemcache://cold?max_entries=8"}
    ports = {"default": args.port, "redis": args.port + 1, "cold": args.port + 2}
    connections = [int(c) for c in args.connections.split(",")]
    results: dict[tuple[str, int], list[dict]] = {}
    with (
        Server(env, ports["default"], args.workers),
        Server(redis_env, ports["redis"], args.workers),
        Server(bare_env, ports["cold"], args.workers),
    ):
        for name, port in ports.items():
            started = time.perf_counter()
            requests, failed = walk(port, paths, args.warm_walks if name != "cold" else 1)
            log(f"  warm-up {name}: {requests:,} requests in {time.perf_counter() - started:.0f} s, {failed} not 200")
        cases = {
            "long tail, default cache": (ports["default"], random_script),
            "long tail, Redis": (ports["redis"], random_script),
            "long tail, no page in the workers' caches (kept in the database)": (ports["cold"], random_script),
            "static file": (ports["default"], None),
        }
        for n in connections:
            for run in range(args.runs):
                for name, (port, script) in cases.items():
                    before = load()
                    r = wrk(port, "/" if script else STATIC_PATH, n, args.duration, script, args.gzip) | {
                        "load": before
                    }
                    results.setdefault((name, n), []).append(r)
                    log(
                        f"  {name} c={n} run {run + 1}: {r['rps']:.0f} req/s p50 {r['p50']:.1f} ms "
                        f"p99 {r['p99']:.1f} ms non-2xx {r['non2xx']} errors {r['errors']} load {before}"
                    )
    print(
        f"\nDatabase: {database['organisations']:,} organisations, {database['publications']:,} publications; "
        f"{len(paths):,} public pages. gunicorn -w {args.workers} per server, CONN_MAX_AGE={args.conn_max_age}; "
        f"every page requested {args.warm_walks} times before the rounds."
    )
    header = " -H 'Accept-Encoding: gzip'" if args.gzip else ""
    print(f"wrk -t2 -d{args.duration}s --latency{header} -s {random_script.name}, {args.runs} rounds; medians.\n")
    print(
        "| case | connections | requests/s | p50 | p99 | non-2xx / errors | ÷ static (per round) | load before each run |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for n in connections:
        static = results[("static file", n)]
        for name in cases:
            runs = results[(name, n)]
            ratio = statistics.median(r["rps"] / s["rps"] for r, s in zip(runs, static, strict=True))
            print(
                f"| {name} | {n} | {statistics.median(r['rps'] for r in runs):,.0f} "
                f"| {statistics.median(r['p50'] for r in runs):.1f} ms | {statistics.median(r['p99'] for r in runs):.1f} ms "
                f"| {sum(r['non2xx'] for r in runs)} / {sum(r['errors'] for r in runs)} | {ratio:.2f} "
                f"| {'; '.join(r['load'] for r in runs)} |",
                flush=True,
            )


if __name__ == "__main__":
    if sys.argv[1:] == ["--publish-seed"]:
        publish_seed()
    else:
        main()
