#!/usr/bin/env bash
# make bench: currantc against the bare tree-sitter parse (the floor), the
# CPython ast round trip, a Babel plugin and istanbul-lib-instrument, on two
# real corpora, in one run; prints the table and rewrites docs/BENCHMARKS.md.
#
#   bench/run.sh            (normally through `make bench`, which builds the tools)
#
# Corpora: every .py file of the stdlib of the python3 on PATH (sysconfig's
# "stdlib" path, less site-packages/dist-packages, which hold third-party
# code) and every .js file under `npm root -g`.  Both are copied to a scratch
# directory outside the repository (same bytes, same relative paths, with
# `node_modules` path components renamed to `nm` so that no tool skips them
# and no .gitignore applies), the page cache is warmed, and each measurement
# is repeated BENCH_REPS times (default 3, interleaved across tools) after
# one untimed warm-up round of every tool; the table reports medians.  The
# warm-up: without it the first round's currantc -j1 took 12% to 2.2x
# longer (CPU time, not I/O) in both runs we looked at (stdlib 4.27 and
# 4.12 s against 3.62-3.72 s; npm's 1.35 and 1.85 s against 0.83-0.85 s), and
# Babel's first run peaked at 513 MiB against 183 MiB, so the median of
# three rested on two rounds.  Throughput = corpus bytes (10^6 bytes = 1 MB) /
# wall time of the whole process; peak RSS from GNU time (%M).
#
# Incremental rebuilds (issue 4): after each -j2 build, the same command
# again into the OUT it wrote (nothing changed: the build cache's level 1),
# then again after appending one boundary call to one file (restored after).
#
# Environment: BENCH_REPS, BENCH_DIR (scratch, default /tmp/currant-bench.$UID),
# CURRANTC (default build/currantc), CURRANTC_FLAGS (default -q),
# BENCH_DOC (default docs/BENCHMARKS.md; empty: do not write it),
# BENCH_EXTRA=1 (also the Babel plugin with source maps), BENCH_TABLE_ONLY=1
# (rewrite the table from the last run's results without measuring).
# After the timings, bench/insn.sh counts the instructions of the floor and
# of -j1 (valgrind); its section follows the table.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
B=$ROOT/build/bench
REPS=${BENCH_REPS:-3}
SCRATCH=${BENCH_DIR:-/tmp/currant-bench.$(id -u)}
CURRANTC=${CURRANTC:-$ROOT/build/currantc}
CURRANTC_FLAGS=${CURRANTC_FLAGS:--q}
DOC=${BENCH_DOC-docs/BENCHMARKS.md}
export NODE_PATH=$B/node_modules

die() { echo "bench: error: $*" >&2; exit 1; }
[ -x /usr/bin/time ] || die "GNU time (/usr/bin/time) is missing: run 'make bench', which installs it"
[ -x "$B/parse_floor" ] || die "$B/parse_floor is missing: run 'make bench'"
[ -d "$B/node_modules/@babel/core" ] || die "npm baselines missing under $B/node_modules: run 'make bench'"
HAVE_CURRANTC=1
if [ ! -x "$CURRANTC" ]; then
  echo "bench: warning: $CURRANTC not built; its rows stay empty" >&2
  HAVE_CURRANTC=0
fi

# The floor again with currantc's allocator (mimalloc), so that
# the table shows what the allocator alone is worth to a bare parse.
MIMALLOC=$(ldconfig -p | awk '/libmimalloc\.so\.2 /{print $NF; exit}')
STDLIB=$(python3 -c 'import sysconfig;print(sysconfig.get_paths()["stdlib"])')
NPMROOT=$(npm root -g 2>/dev/null)
CORPUS=$SCRATCH/corpus
# Measure a snapshot of currantc: a rebuild during the run must not mix versions.
if [ "$HAVE_CURRANTC" = 1 ]; then
  mkdir -p "$SCRATCH"
  [ -n "${BENCH_TABLE_ONLY:-}" ] || cp "$CURRANTC" "$SCRATCH/currantc"
  CURRANTC=$SCRATCH/currantc
fi
OUTS=$SCRATCH/out
LOGS=$SCRATCH/logs

RESULTS=$SCRATCH/results.tsv
if [ -n "${BENCH_TABLE_ONLY:-}" ]; then
  # Only rewrite the table from the last run's results (no measurement).
  [ -s "$RESULTS" ] && [ -f "$CORPUS/sizes" ] || die "no previous results under $SCRATCH"
else
# ---- corpora ---------------------------------------------------------------
echo "bench: copying corpora into $CORPUS"
rm -rf "$CORPUS" "$OUTS" "$LOGS"
mkdir -p "$CORPUS" "$OUTS" "$LOGS"
python3 - "$STDLIB" "$NPMROOT" "$CORPUS" <<'EOF'
import os, shutil, sys
stdlib, npmroot, corpus = sys.argv[1:]
def copy(src, dst, ext, skip):
    n = size = 0
    for root, dirs, files in os.walk(src):
        dirs[:] = sorted(d for d in dirs if d not in skip)
        for f in files:
            p = os.path.join(root, f)
            if not f.endswith(ext) or os.path.islink(p) or not os.path.isfile(p):
                continue
            rel = os.path.relpath(p, src).split(os.sep)
            rel = ["nm" if c == "node_modules" else c for c in rel]
            d = os.path.join(dst, *rel)
            os.makedirs(os.path.dirname(d), exist_ok=True)
            shutil.copyfile(p, d)
            n += 1; size += os.path.getsize(p)
    return n, size
py = copy(stdlib, os.path.join(corpus, "py"), ".py", {"site-packages", "dist-packages", "__pycache__"})
js = copy(npmroot, os.path.join(corpus, "js"), ".js", set())
with open(os.path.join(corpus, "sizes"), "w") as f:
    f.write(f"py {py[0]} {py[1]}\njs {js[0]} {js[1]}\n")
EOF
read -r _ PY_FILES PY_BYTES < <(grep '^py ' "$CORPUS/sizes")
read -r _ JS_FILES JS_BYTES < <(grep '^js ' "$CORPUS/sizes")
echo "bench: python corpus $PY_FILES files, $PY_BYTES bytes ($STDLIB)"
echo "bench: javascript corpus $JS_FILES files, $JS_BYTES bytes ($NPMROOT)"

# warm the page cache
find "$CORPUS" -type f -exec cat {} + >/dev/null

# ---- one measurement -------------------------------------------------------
: >"$RESULTS"
# measure TOOL CORPUS REP CMD...   (OUT is $OUTS/TOOL-CORPUS-REP, a new
# directory; with OUT_OF=OTHER it is OTHER's OUT of this rep as that left
# it: a rebuild).  No OUT is deleted before the timings end: this machine's
# ext4 has no journal, and then creating a file scans past every inode
# deleted in the last minute or five (recently_deleted() in its inode
# allocator), so a tool writing right after an `rm -rf` of the last run's
# thousands of files paid for it (0.1-0.6 s more system time, growing
# with each deletion, for currantc on the stdlib).
measure() {
  local tool=$1 corpus=$2 rep=$3; shift 3
  if [ "$rep" = 0 ]; then # the warm-up round: run, not recorded
    local wout=$OUTS/warmup-${OUT_OF:-$tool}-$corpus
    mkdir -p "$wout"
    "${@//@OUT@/$wout}" >/dev/null 2>&1 || true
    printf 'bench: %-12s %-2s warm-up\n' "$tool" "$corpus"
    return
  fi
  local out=$OUTS/${OUT_OF:-$tool}-$corpus-$rep log=$LOGS/$tool-$corpus-$rep.log rss=$LOGS/$tool-$corpus-$rep.rss
  [ -n "${OUT_OF:-}" ] || mkdir -p "$out"
  local cmd=("${@//@OUT@/$out}")
  sync
  local t0 t1 rc=0 load
  load=$(cut -d' ' -f1 /proc/loadavg)
  t0=$(date +%s%N)
  /usr/bin/time -f 'rss %M cpu %U %S' -o "$rss" "${cmd[@]}" >"$log" 2>&1 || rc=$?
  t1=$(date +%s%N)
  local kb cpu
  kb=$(awk '/^rss /{print $2}' "$rss")
  cpu=$(awk '/^rss /{printf "%d", ($4 + $5) * 1000000}' "$rss")
  if grep -q 'terminated by signal' "$rss" || [ "$rc" -ge 128 ]; then
    echo "bench: $tool on $corpus crashed (status $rc); log: $log" >&2
    tail -5 "$log" >&2
    rc=crash
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$corpus" "$rep" "$(( (t1 - t0) / 1000 ))" "${kb:-0}" "$rc" "${cpu:-0}" "$load" >>"$RESULTS"
  printf 'bench: %-12s %-2s rep %s: %6.2f s wall, %6.2f s cpu, %7s KiB, status %s\n' "$tool" "$corpus" "$rep" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print (b-a)/1e9}')" "$(awk -v c="${cpu:-0}" 'BEGIN{print c/1e6}')" "${kb:-?}" "$rc"
}

# The file an incremental rebuild finds edited, and the line appended to it.
EDITED_py=$CORPUS/py/json/encoder.py
EDITED_js=$(find "$CORPUS/js" -name '*.js' | LC_ALL=C sort | sed -n 1p)
EDIT_py='import time as _bench_t; _bench_stamp = _bench_t.time()'
EDIT_js=';globalThis.__benchStamp = Date.now();'

# rebuilds CORPUS REP: the -j2 build's OUT rebuilt unchanged, then with one file edited.
rebuilds() {
  local c=$1 rep=$2 file edit
  file=EDITED_$c edit=EDIT_$c
  file=${!file} edit=${!edit}
  # shellcheck disable=SC2086
  OUT_OF=currantc-j2 measure currantc-nochange "$c" "$rep" "$CURRANTC" build -o @OUT@ -j 2 $CURRANTC_FLAGS "$CORPUS/$c"
  cp "$file" "$SCRATCH/edited.orig"
  printf '\n%s\n' "$edit" >>"$file"
  # shellcheck disable=SC2086
  OUT_OF=currantc-j2 measure currantc-oneedit "$c" "$rep" "$CURRANTC" build -o @OUT@ -j 2 $CURRANTC_FLAGS "$CORPUS/$c"
  cp "$SCRATCH/edited.orig" "$file"
}

for rep in $(seq 0 "$REPS"); do # 0: the warm-up round
  for c in py js; do
    measure floor "$c" "$rep" "$B/parse_floor" "$CORPUS/$c"
    [ -z "$MIMALLOC" ] || measure floor-mi "$c" "$rep" env LD_PRELOAD="$MIMALLOC" "$B/parse_floor" "$CORPUS/$c"
    if [ "$HAVE_CURRANTC" = 1 ]; then
      # shellcheck disable=SC2086
      measure currantc-j1 "$c" "$rep" "$CURRANTC" build -o @OUT@ -j 1 $CURRANTC_FLAGS "$CORPUS/$c"
      # shellcheck disable=SC2086
      measure currantc-j2 "$c" "$rep" "$CURRANTC" build -o @OUT@ -j 2 $CURRANTC_FLAGS "$CORPUS/$c"
      rebuilds "$c" "$rep"
    fi
  done
  measure cpython py "$rep" python3 "$ROOT/bench/py_ast_wrap.py" "$CORPUS/py" @OUT@
  measure babel js "$rep" node "$ROOT/bench/babel-wrap.js" "$CORPUS/js" @OUT@
  if [ -n "${BENCH_EXTRA:-}" ]; then
    measure babel-maps js "$rep" node "$ROOT/bench/babel-wrap.js" --maps "$CORPUS/js" @OUT@
  fi
  measure istanbul js "$rep" node "$ROOT/bench/istanbul-run.js" "$CORPUS/js" @OUT@
done
echo "bench: deleting the outputs"
rm -rf "$OUTS"

if [ "$HAVE_CURRANTC" = 1 ] && command -v valgrind >/dev/null; then
  echo "bench: counting instructions (valgrind, several minutes)"
  bench/insn.sh "$CORPUS" "$CURRANTC" "$B/parse_floor" >"$SCRATCH/insn.md"
else
  echo "## Instructions (callgrind), -j1 against the floor" >"$SCRATCH/insn.md"
  printf '\nnot measured: %s\n' "$( [ "$HAVE_CURRANTC" = 1 ] && echo "valgrind missing" || echo "currantc not built")" >>"$SCRATCH/insn.md"
fi

fi  # BENCH_TABLE_ONLY

# ---- the table -------------------------------------------------------------
read -r _ PY_FILES PY_BYTES < <(grep '^py ' "$CORPUS/sizes")
read -r _ JS_FILES JS_BYTES < <(grep '^js ' "$CORPUS/sizes")
REPS=$(cut -f3 "$RESULTS" | sort -n | tail -1)
N=$(nproc)
CPU=$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)
export BENCH_CPU="$CPU" BENCH_NPROC="$N" BENCH_REPS_DONE="$REPS" BENCH_STDLIB="$STDLIB" BENCH_NPMROOT="$NPMROOT"
export BENCH_PY="$PY_FILES $PY_BYTES" BENCH_JS="$JS_FILES $JS_BYTES" BENCH_LOGS="$LOGS"
export BENCH_PYVER=$(python3 -c 'import platform;print(platform.python_version())')
export BENCH_NODEVER=$(node --version)
export BENCH_BABELVER=$(node -p 'require("@babel/core/package.json").version')
export BENCH_ISTVER=$(node -p 'require("istanbul-lib-instrument/package.json").version')
export BENCH_TSVER=$(awk '$1=="tree-sitter"{print $2}' grammars/pins.txt)
export BENCH_CURRANTC_VER=$( [ "$HAVE_CURRANTC" = 1 ] && "$CURRANTC" --version 2>/dev/null | head -1 || echo "not built")
export BENCH_LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
TABLE=$(python3 "$ROOT/bench/table.py" "$RESULTS")
[ -f "$SCRATCH/insn.md" ] && TABLE=$(printf '%s\n\n%s' "$TABLE" "$(cat "$SCRATCH/insn.md")")
echo
echo "$TABLE"
if [ -n "$DOC" ]; then
  printf '%s\n' "$TABLE" >"$DOC"
  echo
  echo "bench: wrote $DOC"
fi
