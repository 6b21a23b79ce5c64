"""coordinator/bench/peers/peers.py [--steps N] [--reps R] [--overhead-reps R] [--doc FILE]

Issue 3's comparative figures, run at the end of coordinator/bench/bench.sh
(make bench; never make test):

1. currant against two durable-execution peers doing the same N sequential
   no-op steps, recorded, then recovered after the process died (the N
   steps replayed), in ms per step, each timed inside the workflow body:
   - currant: steps_timed.{js,py} under `currant run` then `currant resume`;
   - DBOS Transact (dbos.js) on a PostgreSQL started here in a temporary
     data directory (as the postgres user when run as root);
   - Restate (restate.js) behind a restate-server started here in a
     temporary base directory.
   The servers stay up for the whole measurement; R rounds each run every
   system once after an fdatasync probe, and the medians are reported, so
   that the shared machine's drifting load hits every system alike.  The
   peers come from build/bench-peers/node_modules, installed by peers.mk at
   the versions of package-lock.json.
2. The no-boundary overhead: a CPU-bound script (../overhead/cpu.{py,js})
   plain, compiled by currantc and run without the coordinator, and compiled
   and run under `currant run`; median wall and CPU time of R interleaved
   runs each, with and without the work (start-up); then the same
   variants' instructions counted by valgrind (callgrind, every process of
   the run), which the machine's load does not move.

Prints Markdown; with --doc, also replaces the part of FILE between the
"peers:begin" and "peers:end" markers (appending it when absent).  A peer
that cannot run is reported with the reason instead of failing the bench.
"""
import argparse
import datetime
import json
import os
import queue
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
ROOT = os.path.dirname(os.path.dirname(BENCH))
BUILD = os.path.join(ROOT, "build")
CURRANT = os.path.join(BUILD, "currant")
CURRANTC = os.path.join(BUILD, "currantc")
MODULES = os.path.join(BUILD, "bench-peers", "node_modules")
BEGIN, END = "<!-- peers:begin -->", "<!-- peers:end -->"
PY_WORK, JS_WORK = 6_000_000, 120_000_000  # about 1 s of CPU each here
INSN_WORK = (1_000_000, 20_000_000)  # about 0.2 s each: ~10 s under valgrind
# Counts per variant (the median is kept): one each, since both repeat to
# well under 0.1% (node runs with --predictable: single_threaded_node).
INSN_REPS = {"py": 1, "js": 1}


def log(msg):
    print(f"peers: {msg}", file=sys.stderr, flush=True)


def timed(cmd, env=None, cwd=None):
    """Wall and CPU (user+sys of the process tree) seconds of one run."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    p = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: exit {p.returncode}: {p.stderr.decode()[-500:]}")
    return wall, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def version(pkg):
    with open(os.path.join(MODULES, pkg, "package.json")) as f:
        return json.load(f)["version"]


def node_env(**extra):
    env = dict(os.environ, NODE_PATH=MODULES)
    env.update(extra)
    return env


def lines_of(proc):
    """A queue receiving proc's stdout lines (None at EOF), read by a thread."""
    q = queue.Queue()

    def pump():
        for line in proc.stdout:
            q.put(line.decode(errors="replace").strip())
        q.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return q


def wait_line(q, prefix, timeout, what):
    end = time.monotonic() + timeout
    while True:
        try:
            line = q.get(timeout=max(0.0, end - time.monotonic()))
        except queue.Empty:
            raise RuntimeError(f"{what}: no '{prefix}' line within {timeout} s")
        if line is None:
            raise RuntimeError(f"{what}: exited before printing '{prefix}'")
        if line.startswith(prefix):
            return line


def stop(proc, timeout=15):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def http(url, body=None, timeout=10):
    req = urllib.request.Request(url, data=body, headers={"content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, r.read()


# ---- the systems: setup(), then one measured round at a time ----
# Each system's round() returns (record, replay) in ms per step, both timed
# inside the workflow body around its N steps.  The rounds of all systems
# are interleaved (with an fdatasync probe), so that the shared disk's and
# CPUs' drifting load hits every system alike.

def fsync_probe(tmp, count=200):
    """Median µs of an fdatasync'ed 200-byte append: the disk's state now."""
    path = os.path.join(tmp, "fsync-probe")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        ts = []
        for _ in range(count):
            t = time.perf_counter()
            os.write(fd, b"x" * 200)
            os.fdatasync(fd)
            ts.append(time.perf_counter() - t)
        return statistics.median(ts) * 1e6
    finally:
        os.close(fd)
        os.unlink(path)


class Currant:
    """steps_timed.{js,py}: crash after the N steps (--sync full), then
    `currant resume` replays them."""

    def __init__(self, tmp, n, lang):
        self.tmp, self.n, self.lang = tmp, n, lang
        self.name = f"currant, {'JS' if lang == 'js' else 'Python'} (`--sync full`)"

    def setup(self):
        src = os.path.join(self.tmp, "steps")
        os.makedirs(src, exist_ok=True)
        self.script = shutil.copy(os.path.join(HERE, f"steps_timed.{self.lang}"), src)
        self.home = os.path.join(self.tmp, "currant-home")

    def round(self, k):
        rid, timing = f"{self.lang}-{k:03d}", os.path.join(self.tmp, f"timing-{self.lang}-{k}")
        env = dict(os.environ, CURRANT_QUIET="1", CURRANT_BENCH_TIMING=timing)
        for cmd, rc in (([CURRANT, "--home", self.home, "--sync", "full", "run", "--id", rid, self.script,
                          str(self.n)], 1), ([CURRANT, "--home", self.home, "resume", rid], 0)):
            p = subprocess.run(cmd, env=dict(env, CURRANT_BENCH_CRASH="1") if rc else env, cwd=self.tmp,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            if p.returncode != rc:
                raise RuntimeError(f"{' '.join(cmd)}: exit {p.returncode}: {p.stderr.decode()[-500:]}")
        with open(timing) as f:
            return tuple(float(x) / self.n for x in f.read().split())

    def teardown(self):
        pass


def pg_bin():
    found = sorted(
        (d for d in os.listdir("/usr/lib/postgresql") if os.path.exists(f"/usr/lib/postgresql/{d}/bin/initdb")),
        key=lambda v: [int(x) for x in re.findall(r"\d+", v)],
    ) if os.path.isdir("/usr/lib/postgresql") else []
    if not found:
        raise RuntimeError("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)")
    return f"/usr/lib/postgresql/{found[-1]}/bin"


class Dbos:
    """dbos.js on a throw-away PostgreSQL (as the postgres user when root):
    the workflow's process exits after its N steps, leaving it PENDING; the
    next process's DBOS.launch() recovers it and replays the N steps."""

    def __init__(self, tmp, n):
        self.tmp, self.n, self.data = tmp, n, None
        self.name = "DBOS Transact"

    def setup(self):
        self.name = f"DBOS Transact {version('@dbos-inc/dbos-sdk')}"
        self.bindir = pg_bin()
        pgdir = os.path.join(self.tmp, "pg")
        os.makedirs(pgdir)
        self.as_pg = []
        if os.geteuid() == 0:  # postgres refuses to run as root
            shutil.chown(pgdir, "postgres", "postgres")
            self.as_pg = ["runuser", "-u", "postgres", "--"]
        data = os.path.join(pgdir, "data")
        port = free_port()
        quiet = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        subprocess.run(self.as_pg + [f"{self.bindir}/initdb", "-D", data, "-A", "trust", "-U", "postgres"], **quiet)
        subprocess.run(self.as_pg + [f"{self.bindir}/pg_ctl", "-D", data, "-l", os.path.join(pgdir, "log"), "-w",
                                     "-t", "60", "-o", f"-p {port} -k {pgdir} -c listen_addresses=127.0.0.1",
                                     "start"], **quiet)
        self.data = data
        v = subprocess.run([f"{self.bindir}/postgres", "--version"], capture_output=True, text=True).stdout
        v = (re.findall(r"PostgreSQL[)] (\S+)", v) or ["?"])[0]
        self.name += f", PostgreSQL {v} (TCP localhost, fsync and synchronous_commit on)"
        self.env = node_env(DBOS_SYSTEM_DATABASE_URL=f"postgresql://postgres@127.0.0.1:{port}/currant_bench_dbos",
                            NODE_NO_WARNINGS="1")

    def round(self, k):
        script, n, wid = os.path.join(HERE, "dbos.js"), self.n, f"steps-{k}"
        res = []
        for args, key in ((["crash", str(n), wid], "record"), (["recover", wid], "replay")):
            out = subprocess.run(["node", script, *args], env=self.env, capture_output=True, text=True, timeout=900)
            m = re.search(rf"^{key} ([\d.]+)$", out.stdout, re.M)
            if not m or (key == "replay" and f"result {n * (n - 1) // 2}" not in out.stdout):
                raise RuntimeError(f"dbos.js {args[0]}: exit {out.returncode}: {(out.stdout + out.stderr)[-500:]}")
            res.append(float(m.group(1)) / n)
        return tuple(res)

    def teardown(self):
        if self.data:
            subprocess.run(self.as_pg + [f"{self.bindir}/pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class Restate:
    """restate.js behind a restate-server (default configuration, temporary
    base directory): the endpoint exits after the N steps; the server retries
    the invocation on a new endpoint, which replays the N journaled steps."""

    def __init__(self, tmp, n):
        self.tmp, self.n, self.srv, self.endpoint = tmp, n, None, None
        self.name = "Restate"

    def setup(self):
        self.name = (f"Restate server {version('@restatedev/restate-server')}, "
                     f"SDK {version('@restatedev/restate-sdk')}")
        server = os.path.join(MODULES, "@restatedev", "restate-server-linux-x64", "bin", "restate-server")
        if not os.path.exists(server):
            raise RuntimeError(f"no restate-server binary for this platform ({server} missing: "
                               "@restatedev/restate-server ships it for linux-x64/arm64 and darwin only, "
                               "as optional dependencies)")
        base = os.path.join(self.tmp, "restate")
        os.makedirs(base)
        ingress, admin, fabric, self.ep = free_port(), free_port(), free_port(), free_port()
        self.ingress = f"http://127.0.0.1:{ingress}"
        env = dict(os.environ, RESTATE_INGRESS__BIND_ADDRESS=f"127.0.0.1:{ingress}",
                   RESTATE_ADMIN__BIND_ADDRESS=f"127.0.0.1:{admin}", RESTATE_BIND_ADDRESS=f"127.0.0.1:{fabric}",
                   RESTATE_LISTEN_MODE="tcp")
        with open(os.path.join(base, "log"), "wb") as logf:
            self.srv = subprocess.Popen([server, "--base-dir", base, "--no-logo"], env=env, stdout=logf,
                                        stderr=logf)
        for _ in range(300):
            try:
                if http(f"http://127.0.0.1:{admin}/health", timeout=1)[0] == 200 and \
                        http(f"{self.ingress}/restate/health", timeout=1)[0] == 200:
                    break
            except OSError:
                pass
            if self.srv.poll() is not None:
                raise RuntimeError(f"restate-server exited {self.srv.returncode}")
            time.sleep(0.2)
        else:
            raise RuntimeError("restate-server not healthy within 60 s")
        self.start("crash")
        http(f"http://127.0.0.1:{admin}/deployments", json.dumps({"uri": f"http://127.0.0.1:{self.ep}"}).encode())

    def start(self, *mode):
        self.endpoint = subprocess.Popen(["node", os.path.join(HERE, "restate.js"), str(self.ep), *mode],
                                         env=node_env(RESTATE_LOGGING="ERROR"), stdout=subprocess.PIPE,
                                         stderr=subprocess.DEVNULL)
        self.q = lines_of(self.endpoint)
        wait_line(self.q, "listening", 60, "restate.js")

    def round(self, k):
        n, wid = self.n, f"steps-{k}"
        if self.endpoint is None:
            self.start("crash")
        http(f"{self.ingress}/steps/{wid}/run/send", str(n).encode())
        rec = float(wait_line(self.q, "record", 900, "restate.js crash").split()[1]) / n
        self.endpoint.wait(60)
        self.start()  # the server's retry replays the journal here
        rep = float(wait_line(self.q, "replay", 900, "restate.js").split()[1]) / n
        for _ in range(600):  # the invocation must complete before the next crash endpoint
            try:
                st, body = http(f"{self.ingress}/restate/workflow/steps/{wid}/output")
                if st == 200:
                    if json.loads(body) != n * (n - 1) // 2:
                        raise RuntimeError(f"restate: wrong result {body!r}")
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("restate: the replayed invocation did not complete")
        stop(self.endpoint)
        self.endpoint = None
        return rec, rep

    def teardown(self):
        if self.endpoint is not None:
            stop(self.endpoint)
        if self.srv is not None:
            stop(self.srv, 30)


def bench_steps(tmp, n, reps):
    """[(name, (record, replay) medians | reason)], median fdatasync µs."""
    systems = [Currant(tmp, n, "js"), Currant(tmp, n, "py")]
    if os.path.isdir(MODULES):
        systems += [Dbos(tmp, n), Restate(tmp, n)]
    results = {id(s): [] for s in systems}
    failed = {}
    if not os.path.isdir(MODULES):
        why = f"{MODULES} missing (make bench installs it: coordinator/bench/peers/peers.mk)"
        failed = {"DBOS Transact": why, "Restate": why}
    floors = []
    try:
        for s in systems:
            log(f"starting {s.name}")
            try:
                s.setup()
            except Exception as e:  # a peer that cannot run is reported, not fatal
                failed[id(s)] = str(e)
        for k in range(reps):
            floors.append(fsync_probe(tmp))
            for s in systems:
                if id(s) in failed:
                    continue
                log(f"round {k + 1}/{reps}: {s.name}")
                try:
                    results[id(s)].append(s.round(k))
                except Exception as e:
                    failed[id(s)] = str(e)
    finally:
        for s in systems:
            s.teardown()
    out = []
    for s in systems:
        if id(s) in failed:
            log(f"{s.name}: {failed[id(s)]}")
            out.append((s.name, " ".join(failed[id(s)].split())[:300]))
        else:
            r = results[id(s)]
            out.append((s.name, (statistics.median(x for x, _ in r), statistics.median(y for _, y in r))))
    out += [(name, why) for name, why in failed.items() if isinstance(name, str)]
    return out, statistics.median(floors) if floors else None


# ---- the no-boundary overhead ----

def overhead_setup(tmp):
    """Compiles ../overhead once; returns (env, variants(lang, interp, n))."""
    src = os.path.join(BENCH, "overhead")
    out = os.path.join(tmp, "overhead-out")
    if not os.path.isdir(out):
        subprocess.run([CURRANTC, "build", src, "-o", out, "-q"], check=True)
    home = os.path.join(tmp, "overhead-home")
    env = dict(os.environ, CURRANT_QUIET="1", PYTHONPATH=os.path.join(ROOT, "runtime-py"),
               NODE_PATH=os.path.join(ROOT, "runtime-js"))

    def variants(lang, interp, n):
        with open(os.path.join(out, f"cpu.{lang}")) as f:
            if "currant" not in f.readline():
                raise RuntimeError(f"currantc did not instrument cpu.{lang}")
        return {
            "plain": interp + [os.path.join(src, f"cpu.{lang}"), str(n)],
            "compiled": interp + [os.path.join(out, f"cpu.{lang}"), str(n)],
            "currant": [CURRANT, "--home", home, "run", os.path.join(out, f"cpu.{lang}"), str(n)],
        }
    return env, variants


def bench_overhead(tmp, reps):
    env, make_variants = overhead_setup(tmp)
    res = {}
    for lang, interp, work in (("py", ["python3"], PY_WORK), ("js", ["node"], JS_WORK)):
        variants = make_variants(lang, interp, work)
        t = {(v, z): [] for v in variants for z in (0, 1)}
        for _ in range(reps):  # interleaved, so that drifting load hits all alike
            for v, cmd in variants.items():
                t[v, 1].append(timed(cmd, env, tmp))
                t[v, 0].append(timed(cmd[:-1] + ["0"], env, tmp))  # start-up only
        med = {k: (statistics.median(w for w, _ in x), statistics.median(c for _, c in x)) for k, x in t.items()}
        res[lang] = {v: (med[v, 1], med[v, 0]) for v in variants}
    return res


def instructions(cmd, env, tmp):
    """User-space instructions executed by cmd and every process it starts
    (valgrind's callgrind, all processes summed): unlike time, the same on
    a loaded machine and an idle one, to a fraction of a percent."""
    d = tempfile.mkdtemp(dir=tmp, prefix="cg.")
    try:
        p = subprocess.run(["valgrind", "--tool=callgrind", "--trace-children=yes",
                            f"--callgrind-out-file={d}/cg.%p"] + cmd, env=env, cwd=tmp,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if p.returncode != 0:
            raise RuntimeError(f"valgrind {' '.join(cmd)}: exit {p.returncode}: {p.stderr.decode()[-300:]}")
        total = 0
        for name in os.listdir(d):
            with open(os.path.join(d, name)) as f:
                total += sum(int(line.split()[1]) for line in f if line.startswith("summary:"))
        return total
    finally:
        shutil.rmtree(d, ignore_errors=True)


def single_threaded_node(tmp):
    """A directory holding a `node` that runs the real one with V8's
    --predictable (a flag NODE_OPTIONS refuses): V8 compiles and collects
    on background threads, and under valgrind, which runs threads one at a
    time, when optimised code arrives varies from run to run (the same
    script's count moved 30%).  --single-threaded alone left ~1% between
    runs (1062.5 / 1072.3 / 1071.9 M instructions for the plain cpu.js)
    and the overhead read +2.31% once and +2.40% once where the compiled
    file is the same; --predictable (single-threaded, fixed seeds and heap
    schedule) repeats to the instruction (1047.22 M three times).  Every
    variant, `currant run`'s child included, goes through it."""
    d = os.path.join(tmp, "st-node")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "node")
    with open(path, "w") as f:
        f.write(f'#!/bin/sh\nexec {shutil.which("node")} --predictable "$@"\n')
    os.chmod(path, 0o755)
    return d


def median_instructions(cmd, env, tmp, reps):
    """The median of reps counts of cmd's instructions."""
    return statistics.median(instructions(cmd, env, tmp) for _ in range(reps))


def bench_overhead_instructions(tmp):
    """The no-boundary overhead counted in instructions, once per variant
    with INSN_WORK iterations and once with none (start-up)."""
    if not shutil.which("valgrind"):
        raise RuntimeError("valgrind not found (Debian package valgrind)")
    env, make_variants = overhead_setup(tmp)
    env = dict(env, PATH=single_threaded_node(tmp) + os.pathsep + env["PATH"])
    res = {}
    for lang, interp, work in (("py", ["python3"], INSN_WORK[0]), ("js", ["node"], INSN_WORK[1])):
        res[lang] = {}
        for v, cmd in make_variants(lang, interp, work).items():
            res[lang][v] = (median_instructions(cmd, env, tmp, INSN_REPS[lang]),
                            median_instructions(cmd[:-1] + ["0"], env, tmp, INSN_REPS[lang]))
    return res


# ---- the report ----

def fmt_ms(x):
    return f"{x:.4f}" if x < 0.1 else f"{x:.3f}" if x < 10 else f"{x:.1f}"


def ratio(peer, cur):
    if cur <= 0:
        return "n/a (currant's figure is within the noise)"
    r = peer / cur
    return f"{r:.1f}x {'(≥ 10x)' if r >= 10 else '(below 10x)'}"


def report(n, reps, steps, ovh, insn, load0, load1, cores):
    rows, floor = steps
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    L = [f"## Durable-execution peers and the no-boundary overhead: `make bench` run, {date}", ""]
    L.append(f"Written by `coordinator/bench/peers/peers.py` (called from `coordinator/bench/bench.sh`). "
             f"Machine: {cores} cores, shared with other work (load average {load0} before, {load1} after): "
             "every figure is a median and still noisy.")
    L.append("")
    L.append(f"### {n} sequential no-op steps, ms per step (median of {reps} interleaved rounds)")
    L.append("")
    L.append("Record: the N steps of a fresh workflow, each durably committed before the next. "
             "Replay: the same workflow recovered after its process died past the N steps, which are "
             "answered from the journal. Every system is timed the same way, inside the workflow body "
             "around its N steps (for currant, the script `coordinator/bench/peers/steps_timed.{js,py}`, "
             "`--sync full`, recovered by `currant resume`). A round runs each system once, after an "
             "fdatasync probe"
             + (f" (median {floor:.0f} µs per 200-byte append)" if floor else "")
             + ". Ratio: peer / currant JS; the target is ≥ 10x.")
    L.append("")
    L.append("| system | record ms/step | replay ms/step | record ratio | replay ratio |")
    L.append("|---|---|---|---|---|")
    cjs = rows[0][1] if isinstance(rows[0][1], tuple) else None
    for i, (name, r) in enumerate(rows):
        if not isinstance(r, tuple):
            L.append(f"| {name} | not measured: {r} | | | |")
        elif i == 0:
            L.append(f"| {name} | {fmt_ms(r[0])} | {fmt_ms(r[1])} | 1 | 1 |")
        elif i == 1:
            L.append(f"| {name}, for reference | {fmt_ms(r[0])} | {fmt_ms(r[1])} | | |")
        else:
            rr = (ratio(r[0], cjs[0]), ratio(r[1], cjs[1])) if cjs else ("", "")
            L.append(f"| {name} | {fmt_ms(r[0])} | {fmt_ms(r[1])} | {rr[0]} | {rr[1]} |")
    L.append("")
    L.append(f"### No-boundary overhead (median of {ovh[1]} interleaved runs)")
    L.append("")
    L.append("`coordinator/bench/overhead/cpu.{py,js}`: about a second of arithmetic and one boundary site "
             "(`time.time()` / `Date.now()`) that is never reached. \"compiled\" is currantc's output (it "
             "imports the currant runtime), run by python3/node without the coordinator; \"`currant run`\" "
             "adds the coordinator (freeze, spawn, journal). Overhead against plain; issue 3's target is "
             "≤ 2%. \"start-up\" is the same command with 0 iterations; \"work only\" subtracts it. "
             "CPU time (user+sys of the whole process tree), then wall-clock time in parentheses: on a "
             "shared machine the wall clock mostly measures the other load, CPU time much less so.")
    L.append("")
    L.append("| script | variant | CPU ms (wall) | overhead | start-up ms | work-only ms | work-only overhead |")
    L.append("|---|---|---|---|---|---|---|")
    if isinstance(ovh[0], dict):
        pct = lambda x, base: f"{(x - base) / base * 100:+.1f}%"
        for lang, res in ovh[0].items():
            (pw, pc), (pw0, pc0) = res["plain"]
            for v, label in (("plain", "plain, uninstrumented"), ("compiled", "compiled, no coordinator"),
                             ("currant", "compiled, `currant run`")):
                (w, c), (w0, c0) = res[v]
                o = "" if v == "plain" else f"{pct(c, pc)} ({pct(w, pw)})"
                ow = "" if v == "plain" else f"{pct(c - c0, pc - pc0)} ({pct(w - w0, pw - pw0)})"
                L.append(f"| cpu.{lang} | {label} | {c * 1e3:.0f} ({w * 1e3:.0f}) | {o} | "
                         f"{c0 * 1e3:.0f} ({w0 * 1e3:.0f}) | {(c - c0) * 1e3:.0f} ({(w - w0) * 1e3:.0f}) | {ow} |")
    else:
        L.append(f"| | not measured: {ovh[0]} | | | | | |")
    L += report_instructions(insn)
    return "\n".join(L) + "\n"


def report_instructions(insn):
    """The instruction-count table of the no-boundary overhead."""
    L = ["", "### No-boundary overhead in instructions (valgrind; one run each, node with --predictable)", "",
         "The same three variants counted by valgrind's callgrind (user-space instructions of every "
         f"process of the run: python3/node, the pyenv shim if any, the coordinator), with "
         f"{INSN_WORK[0]:,} (Python) and {INSN_WORK[1]:,} (JavaScript) iterations, and with none "
         "(start-up). Unlike the CPU times above these counts do not move with the machine's load "
         "(repeat runs agree within 0.1%: node runs with V8's --predictable, which keeps compilation and collection on the main thread with a fixed schedule, the same for every variant), so they resolve what the timings cannot: the overhead to a fraction of a percent. The "
         "last column applies the counted start-up and per-iteration costs to the ~1 s runs of the "
         f"table above ({PY_WORK:,} / {JS_WORK:,} iterations): the overhead a script of that length "
         "pays, start-up included.", "",
         "| script | variant | instructions (M) | start-up (M) | work only (M) | work-only overhead | "
         "overhead on a ~1 s run |", "|---|---|---|---|---|---|---|"]
    if not isinstance(insn, dict):
        return L + [f"| | not measured: {insn} | | | | | |"]
    for lang, res in insn.items():
        k = (PY_WORK if lang == "py" else JS_WORK) / INSN_WORK[0 if lang == "py" else 1]
        p, p0 = res["plain"]
        for v, label in (("plain", "plain, uninstrumented"), ("compiled", "compiled, no coordinator"),
                         ("currant", "compiled, `currant run`")):
            n, n0 = res[v]
            wo = "" if v == "plain" else f"{((n - n0) / (p - p0) - 1) * 100:+.2f}%"
            big = "" if v == "plain" else f"{((n0 + (n - n0) * k) / (p0 + (p - p0) * k) - 1) * 100:+.2f}%"
            L.append(f"| cpu.{lang} | {label} | {n / 1e6:.1f} | {n0 / 1e6:.1f} | {(n - n0) / 1e6:.1f} | "
                     f"{wo} | {big} |")
    return L


def rewrite_doc(path, text):
    with open(path) as f:
        doc = f.read()
    block = f"{BEGIN}\n{text}{END}\n"
    if BEGIN in doc and END in doc:
        rest = doc[doc.index(END) + len(END):].lstrip("\n")
        doc = doc[: doc.index(BEGIN)] + block + ("\n" + rest if rest else "")
    else:
        doc = doc.rstrip("\n") + "\n\n" + block
    with open(path, "w") as f:
        f.write(doc)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[2])
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--reps", type=int, default=5, help="rounds (each system once a round; medians)")
    ap.add_argument("--overhead-reps", type=int, default=7)
    ap.add_argument("--doc", help="Markdown file whose peers section is rewritten")
    a = ap.parse_args()
    load0 = " ".join(open("/proc/loadavg").read().split()[:3])
    tmp = tempfile.mkdtemp(prefix="currant-peers.")
    os.chmod(tmp, 0o755)  # the postgres user must reach its data directory

    try:
        steps = bench_steps(tmp, a.steps, a.reps)
        log("measuring the no-boundary overhead")
        try:
            ovh = (bench_overhead(tmp, a.overhead_reps), a.overhead_reps)
        except Exception as e:
            log(f"the no-boundary overhead: {e}")
            ovh = (" ".join(str(e).split())[:300], a.overhead_reps)
        log("counting the no-boundary overhead's instructions (valgrind)")
        try:
            insn = bench_overhead_instructions(tmp)
        except Exception as e:
            log(f"the no-boundary overhead in instructions: {e}")
            insn = " ".join(str(e).split())[:300]
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    load1 = " ".join(open("/proc/loadavg").read().split()[:3])
    text = report(a.steps, a.reps, steps, ovh, insn, load0, load1, os.cpu_count())
    print(text, end="")
    if a.doc:
        rewrite_doc(a.doc, text)


if __name__ == "__main__":
    main()
