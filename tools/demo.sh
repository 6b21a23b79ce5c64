#!/usr/bin/env bash
# `make demo`: what currant does, on the two sample codebases.
#
#   1. instruments samples/python and samples/javascript with build/currantc
#      into build/demo-out/{python,javascript};
#   2. summarises the build: files, boundary sites per file, a few rewritten
#      lines before/after, and the graph from currant.graph.json;
#   3. runs every sample plainly and instrumented (pass-through runtimes from
#      runtime-py/ and runtime-js/) and shows that the outputs match;
#   4. when the coordinator build/currant exists: starts a durable run, kills
#      it half-way, resumes it and shows the run's checkpoints.
#
# The samples write their files into temporary directories (removed at the
# end), never into the repository.  Exit status: 0 when every check passed.
# Environment: CURRANTC, CURRANT (tool paths), NO_COLOR, DEMO_KEEP=1 (keep the
# temporary data directories).
set -uo pipefail

cd "$(dirname "$0")/.." || exit 3
ROOT=$PWD
CURRANTC=${CURRANTC:-$ROOT/build/currantc}
CURRANT=${CURRANT:-$ROOT/build/currant}
OUT=$ROOT/build/demo-out
LANGS=(python javascript)

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
  B=$'\e[1m' DIM=$'\e[2m' G=$'\e[32m' R=$'\e[31m' Y=$'\e[33m' C=$'\e[36m' N=$'\e[0m'
else
  B='' DIM='' G='' R='' Y='' C='' N=''
fi
export B DIM G R Y C N

failures=0
step() { printf '\n%s== %s ==%s\n' "$B" "$*" "$N"; }
show() { printf '%s$ %s%s\n' "$DIM" "$*" "$N"; }
ok() { printf '  %sok%s   %s\n' "$G" "$N" "$*"; }
bad() { printf '  %sFAIL%s %s\n' "$R" "$N" "$*"; failures=$((failures + 1)); }
note() { printf '  %s%s%s\n' "$Y" "$*" "$N"; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/currant-demo.XXXXXX") || exit 3
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  # Only the process group this script started for the durable run, by id.
  if [ -n "${run_pid:-}" ] && kill -0 "$run_pid" 2>/dev/null; then
    kill -KILL -- "-$run_pid" 2>/dev/null
  fi
  if [ "${DEMO_KEEP:-0}" = 1 ]; then echo "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT

for tool in python3 node; do
  command -v "$tool" >/dev/null || { echo "demo: $tool is needed" >&2; exit 3; }
done
if [ ! -x "$CURRANTC" ]; then
  echo "demo: $CURRANTC is missing: run make first" >&2
  exit 3
fi

# ---------------------------------------------------------------- 1. build
step "1. instrument the samples"
"$CURRANTC" --version
rm -rf "$OUT"
mkdir -p "$OUT"
for lang in "${LANGS[@]}"; do
  show "build/currantc build samples/$lang -o build/demo-out/$lang"
  "$CURRANTC" build "samples/$lang" -o "$OUT/$lang"
  rc=$?
  if [ $rc -eq 0 ]; then ok "exit 0: built clean"; else bad "currantc exited $rc"; fi
done

# -------------------------------------------------------------- 2. summary
step "2. what changed"
if ! python3 - "$ROOT" "$OUT" "${LANGS[@]}" <<'PY'
import difflib
import json
import os
import sys
from collections import Counter

root, out, langs = sys.argv[1], sys.argv[2], sys.argv[3:]
B, DIM, C, N = (os.environ.get(k, "") for k in ("B", "DIM", "C", "N"))


def line_map(before, after):
    """Original line number -> output line number, for lines kept or
    rewritten in place (1-based)."""
    mapping = {}
    sm = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for k in range(i2 - i1):
                mapping[i1 + k + 1] = j1 + k + 1
    return mapping


def clip(text, width=110):
    text = text.strip()
    return text if len(text) <= width else text[: width - 1] + "…"


for lang in langs:
    outdir = os.path.join(out, lang)
    srcdir = os.path.join(root, "samples", lang)
    with open(os.path.join(outdir, "currant.graph.json"), encoding="utf-8") as f:
        graph = json.load(f)
    modules = graph.get("modules", [])
    sites = graph.get("sites", [])
    edges = graph.get("edges", [])
    by_file = Counter(s["file"] for s in sites)
    print(f"{B}{lang}{N}  ({graph.get('format', '?')}, "
          f"currantc {graph.get('compiler', {}).get('version', '?')})")
    width = max((len(m["path"]) for m in modules), default=10)
    for m in modules:
        rel = m["path"]
        n = by_file.get(rel, 0)
        with open(os.path.join(srcdir, rel), "rb") as f:
            src = f.read()
        with open(os.path.join(outdir, rel), "rb") as f:
            dst = f.read()
        state = "rewritten" if src != dst else "copied unchanged"
        extra = ""
        if os.path.exists(os.path.join(outdir, rel + ".map")):
            extra = " + source map"
        print(f"  {rel:<{width}}  {n:3d} sites  {DIM}{state}{extra}{N}")
    kinds = Counter(s.get("kind", "?") for s in sites)
    cats = Counter(s["category"] for s in sites if s.get("category"))
    print(f"  {len(sites)} sites: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    if cats:
        print("  catalogue categories: "
              + ", ".join(f"{k} {v}" for k, v in sorted(cats.items())))

    # A few rewritten lines, one per boundary kind/category, before and after.
    shown, seen = 0, set()
    for s in sites:
        key = (s.get("kind"), s.get("category"))
        if key in seen or shown >= 5:
            continue
        seen.add(key)
        rel = s["file"]
        with open(os.path.join(srcdir, rel), encoding="utf-8") as f:
            before = f.read().splitlines()
        with open(os.path.join(outdir, rel), encoding="utf-8") as f:
            after = f.read().splitlines()
        line = s["line"]
        new = line_map(before, after).get(line)
        if new is None:
            continue
        if shown == 0:
            print(f"  {DIM}before/after (file:line, site kind){N}")
        shown += 1
        label = s.get("category") or s.get("kind")
        print(f"  {C}{rel}:{line}{N} {DIM}[{label}: {s.get('callee', '')}]{N}")
        print(f"    - {clip(before[line - 1])}")
        print(f"    + {clip(after[new - 1])}")

    ekinds = Counter(e.get("kind", "?") for e in edges)
    nodes = graph.get("nodes")
    node_count = len(nodes) if isinstance(nodes, list) else None
    unresolved = graph.get("unresolved", [])
    tasks = [d for m in modules for d in m.get("defs", []) if d.get("task")]
    print("  graph: "
          + (f"{node_count} nodes, " if node_count is not None else "")
          + f"{len(edges)} edges ("
          + ", ".join(f"{k} {v}" for k, v in sorted(ekinds.items()))
          + f"), {len(tasks)} tasks, {len(unresolved)} unresolved calls")
    print()
PY
then
  bad "could not summarise build/demo-out (see the error above)"
fi

# ---------------------------------------------------- 3. plain vs instrumented
step "3. plain run vs instrumented run (pass-through runtime, no coordinator)"
run_sample() { # lang dir datadir -> stdout
  case $1 in
    python) PYTHONPATH="$ROOT/runtime-py" python3 "$2/main.py" "$3" ;;
    javascript) NODE_PATH="$ROOT/runtime-js" node "$2/main.mjs" "$3" ;;
  esac
}
for lang in "${LANGS[@]}"; do
  case $lang in
    python) env_hint="PYTHONPATH=runtime-py python3" main=main.py ;;
    javascript) env_hint="NODE_PATH=runtime-js node" main=main.mjs ;;
  esac
  mkdir -p "$TMP/$lang-plain" "$TMP/$lang-instr"
  show "$env_hint samples/$lang/$main DIR"
  run_sample "$lang" "samples/$lang" "$TMP/$lang-plain" >"$TMP/$lang-plain.out" 2>"$TMP/$lang-plain.err"
  prc=$?
  sed 's/^/    /' "$TMP/$lang-plain.out"
  show "$env_hint build/demo-out/$lang/$main DIR"
  run_sample "$lang" "$OUT/$lang" "$TMP/$lang-instr" >"$TMP/$lang-instr.out" 2>"$TMP/$lang-instr.err"
  irc=$?
  if [ $prc -ne 0 ]; then
    bad "$lang: the plain run exited $prc"; sed 's/^/    /' "$TMP/$lang-plain.err" | tail -5
  elif [ $irc -ne 0 ]; then
    bad "$lang: the instrumented run exited $irc"; sed 's/^/    /' "$TMP/$lang-instr.err" | tail -8
  elif cmp -s "$TMP/$lang-plain.out" "$TMP/$lang-instr.out"; then
    ok "$lang: same output ($(wc -l <"$TMP/$lang-plain.out") lines), same exit status"
  else
    bad "$lang: outputs differ"
    diff -u "$TMP/$lang-plain.out" "$TMP/$lang-instr.out" | sed 's/^/    /' | head -20
  fi
done

# ------------------------------------------------------ 4. a durable run
step "4. durable run: crash half-way, resume, show"
coordinator_ready() {
  [ -x "$CURRANT" ] || return 1
  local help
  help=$("$CURRANT" --help 2>&1) || true
  for cmd in run resume show; do
    grep -qw "$cmd" <<<"$help" || return 1
  done
}
if ! coordinator_ready; then
  note "skipped: build/currant (the coordinator) is not built yet, or lacks run/resume/show"
else
  # The journal lives in the demo's temporary directory, not in the repo.
  export CURRANT_HOME="$TMP/journal"
  mkdir -p "$CURRANT_HOME" "$TMP/durable"
  cd "$TMP" || exit 3
  # Slow the sample down (0.4 s between orders) so there is a middle to crash in.
  export CURRANT_SAMPLE_PACE=0.4
  show "currant run build/demo-out/python/main.py DIR   (killed after ~0.9 s)"
  setsid "$CURRANT" run "$OUT/python/main.py" "$TMP/durable" >"$TMP/run1.out" 2>"$TMP/run1.err" &
  run_pid=$!
  sleep 0.9
  if kill -0 "$run_pid" 2>/dev/null; then
    kill -KILL -- "-$run_pid" 2>/dev/null
    wait "$run_pid" 2>/dev/null
    ok "killed the coordinator and the script with SIGKILL mid-run"
  else
    wait "$run_pid"
    note "the run finished before it could be killed (exit $?)"
  fi
  run_pid=
  sed 's/^/    /' "$TMP/run1.out"
  run_id=$("$CURRANT" runs --json 2>/dev/null | python3 -c '
import json, sys
runs = json.load(sys.stdin)
runs = runs.get("runs", runs) if isinstance(runs, dict) else runs
print(runs[-1]["id"] if runs else "")' 2>/dev/null)
  if [ -z "$run_id" ]; then
    run_id=$(grep -oE 'run[ :=]+[A-Za-z0-9_-]+' "$TMP/run1.err" | head -1 | awk '{print $NF}')
  fi
  if [ -z "$run_id" ]; then
    bad "could not find the id of the run (currant runs --json)"
  else
    show "currant resume $run_id"
    "$CURRANT" resume "$run_id" >"$TMP/run2.out" 2>"$TMP/run2.err"
    rc=$?
    sed 's/^/    /' "$TMP/run2.out"
    if [ $rc -eq 0 ]; then ok "resumed run $run_id finished"; else bad "resume exited $rc"; sed 's/^/    /' "$TMP/run2.err" | tail -5; fi
    if cat "$TMP/run1.out" "$TMP/run2.out" | cmp -s - "$TMP/python-plain.out"; then
      ok "output before the crash + output after the resume = one uninterrupted run"
    else
      note "the crashed and resumed outputs together differ from an uninterrupted run"
    fi
    show "currant show $run_id"
    "$CURRANT" show "$run_id" | head -40 | sed 's/^/    /'
  fi
fi

step "done"
if [ $failures -eq 0 ]; then
  printf '%sall demo checks passed%s\n' "$G" "$N"
  exit 0
fi
printf '%s%d demo check(s) failed%s\n' "$R" "$failures" "$N"
exit 1
