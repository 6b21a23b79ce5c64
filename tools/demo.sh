#!/usr/bin/env bash
# `make demo`: what currant does, on the two sample codebases.
#
#   1. instruments samples/python and samples/javascript with build/currantc
#      into build/demo-out/{python,javascript};
#   2. summarises the build: files, boundary sites per file, a few rewritten
#      lines before/after, and the graph from currant.graph.json;
#   3. runs every sample plainly and instrumented (pass-through runtimes from
#      runtime-py/ and runtime-js/) and shows that the outputs match;
#   4. when the coordinator build/currant exists: a durable run of each
#      sample, then another one killed (SIGKILL) half-way, resumed, shown and
#      inspected; the output before the crash plus the output after the
#      resume must equal one uninterrupted run.
#
# samples/crosslang is one run across runtimes: a Python pipeline calls a
# JavaScript pricing function and asks a model to summarise; the model is a
# fake OpenAI-compatible server on 127.0.0.1 (runtime-py/tests/fake_llm.py)
# that the demo starts, so nothing leaves the machine.
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
LANGS=(python javascript crosslang)
# Plain runs of samples/ must leave nothing in the repository, not even
# __pycache__ directories.
export PYTHONDONTWRITEBYTECODE=1

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
  if [ -n "${llm_pid:-}" ]; then kill "$llm_pid" 2>/dev/null; wait "$llm_pid" 2>/dev/null; fi
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

# The model samples/crosslang asks: a fake OpenAI-compatible server on
# loopback, whatever the environment says, so the demo never reaches out.
unset OPENAI_BASE_URL OPENAI_API_KEY CURRANT_LLM_API_KEY CURRANT_PROMPT_CACHE CURRANT_PROMPT_CMD
python3 "$ROOT/runtime-py/tests/fake_llm.py" "$TMP/llm.port" "$TMP/llm.count" &
llm_pid=$!
for _ in $(seq 1 100); do [ -s "$TMP/llm.port" ] && break; sleep 0.05; done
if [ ! -s "$TMP/llm.port" ]; then echo "demo: the fake model server did not start" >&2; exit 3; fi
export CURRANT_LLM_BASE_URL="http://127.0.0.1:$(cat "$TMP/llm.port")/v1" CURRANT_LLM_MODEL=fake-model

# ---------------------------------------------------------------- 1. build
step "1. instrument the samples"
"$CURRANTC" --version
rm -rf "$OUT"
mkdir -p "$OUT"
for lang in "${LANGS[@]}"; do
  show "build/currantc build -o build/demo-out/$lang samples/$lang"
  "$CURRANTC" build -o "$OUT/$lang" "samples/$lang"
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
    files = graph["files"]
    nodes = graph["nodes"]
    sites = [n for n in nodes if n["kind"] in ("site", "prompt")]
    stats = graph["stats"]
    print(f"{B}{lang}{N}: {stats['files']} files, {stats['instrumented']} instrumented, "
          f"{stats['sites']['total']} boundary sites  "
          f"{DIM}(build/demo-out/{lang}/currant.graph.json, {graph['format']}){N}")
    width = max(len(f["path"]) for f in files)
    for f in files:
        cats = Counter(s["category"] for s in sites if s["file"] == f["path"])
        detail = ", ".join(f"{k} {v}" for k, v in sorted(cats.items()))
        extra = " + .map" if f.get("source_map") else ""
        print(f"  {f['path']:<{width}}  {f['sites']:3d} sites  "
              f"{DIM}{f['status']}{extra}  {detail}{N}")

    # A few rewritten lines, one per boundary category, before and after.
    shown, seen = 0, set()
    for s in sites:
        if s["category"] in seen or shown >= 5:
            continue
        seen.add(s["category"])
        rel = s["file"]
        with open(os.path.join(srcdir, rel), encoding="utf-8") as f:
            before = f.read().splitlines()
        with open(os.path.join(outdir, rel), encoding="utf-8") as f:
            after = f.read().splitlines()
        new = line_map(before, after).get(s["line"])
        if new is None:
            continue
        if shown == 0:
            print(f"  {DIM}a few rewritten lines (file:line [boundary/category]):{N}")
        shown += 1
        print(f"  {C}{rel}:{s['line']}{N} {DIM}[{s['boundary']}/{s['category']}] "
              f"{s['site_id']}{N}")
        print(f"    - {clip(before[s['line'] - 1])}")
        print(f"    + {clip(after[new - 1])}")

    kinds = Counter(n["kind"] for n in nodes)
    ekinds = Counter(e["kind"] for e in graph["edges"])
    unresolved = sum(len(v) for v in graph["unresolved"].values())
    print(f"  graph: {len(nodes)} nodes ("
          + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
          + f"), {len(graph['edges'])} edges ("
          + ", ".join(f"{k} {v}" for k, v in sorted(ekinds.items()))
          + f"); sites by boundary: "
          + ", ".join(f"{k} {v}" for k, v in stats["sites"].items() if k != "total")
          + f"; {stats['resolved_calls']} of {stats['calls']} calls resolved, "
          f"{unresolved} listed as unresolved")
    print()
PY
then
  bad "could not summarise build/demo-out (see the error above)"
fi

# ---------------------------------------------------- 3. plain vs instrumented
step "3. plain run vs instrumented run (pass-through runtime, no coordinator)"
main_of() { # lang -> the sample's entry script
  case $1 in
    python) echo main.py ;;
    javascript) echo main.mjs ;;
    crosslang) echo pipeline.py ;;
  esac
}
run_sample() { # lang dir datadir -> stdout
  case $1 in
    javascript) NODE_PATH="$ROOT/runtime-js" node "$2/main.mjs" "$3" ;;
    *) PYTHONPATH="$ROOT/runtime-py" python3 "$2/$(main_of "$1")" "$3" ;;
  esac
}
for lang in "${LANGS[@]}"; do
  main=$(main_of "$lang")
  case $lang in
    javascript) env_hint="NODE_PATH=runtime-js node" ;;
    *) env_hint="PYTHONPATH=runtime-py python3" ;;
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
step "4. durable runs: crash half-way, resume, show, inspect"
coordinator_ready() {
  [ -x "$CURRANT" ] || return 1
  local help
  help=$("$CURRANT" --help 2>&1) || true
  for cmd in run resume show; do
    grep -qw "$cmd" <<<"$help" || return 1
  done
}

# Checkpoints committed so far by run $1 (0 when it is not in the journal yet).
checkpoints_of() {
  "$CURRANT" --home "$HOME_DIR" --json runs 2>/dev/null | python3 -c '
import json, sys
try:
    runs = json.load(sys.stdin)
except ValueError:
    runs = []
print(next((r.get("checkpoints", 0) for r in runs if r.get("id") == sys.argv[1]), 0))' "$1"
}

durable_demo() { # lang main
  local lang=$1 main=$2 full=demo-$1-full crash=demo-$1-crash total half rc waited
  local cur=(env -u PYTHONPATH -u NODE_PATH "$CURRANT" --home "$HOME_DIR")
  printf '%s%s%s\n' "$B" "$lang" "$N"

  # An uninterrupted durable run first, to know how many checkpoints a run has.
  mkdir -p "$TMP/$full"
  show "currant run --id $full build/demo-out/$lang/$main DIR"
  CURRANT_SAMPLE_PACE=0.01 "${cur[@]}" run --id "$full" "$OUT/$lang/$main" "$TMP/$full" \
    >"$TMP/$full.out" 2>"$TMP/$full.err"
  rc=$?
  total=$(checkpoints_of "$full")
  if [ "$rc" -eq 0 ] && cmp -s "$TMP/$full.out" "$TMP/$lang-plain.out"; then
    ok "$lang: durable run finished, $total checkpoints, same output as the plain run"
  else
    bad "$lang: durable run exited $rc after $total checkpoints (plain run: exit 0)"
    diff "$TMP/$lang-plain.out" "$TMP/$full.out" | sed 's/^/    /' | head -8
    grep -v '^currant: run ' "$TMP/$full.err" | tail -3 | sed 's/^/    /'
  fi
  if [ "$total" -lt 4 ]; then
    note "$lang: too few checkpoints to crash a run half-way (is the runtime recording?)"
    return
  fi
  half=$((total / 2))

  # The same run, slowed down (0.3 s between orders), killed with SIGKILL
  # half-way: once it has printed the second of its four order lines.  The
  # coordinator and the script die together.
  mkdir -p "$TMP/$crash"
  show "currant run --id $crash build/demo-out/$lang/$main DIR   (SIGKILL after order 2 of 4)"
  CURRANT_SAMPLE_PACE=0.3 setsid "${cur[@]}" run --id "$crash" "$OUT/$lang/$main" "$TMP/$crash" \
    >"$TMP/$crash.out" 2>"$TMP/$crash.err" &
  run_pid=$!
  waited=0
  while kill -0 "$run_pid" 2>/dev/null && [ "$waited" -lt 1500 ]; do
    [ "$(grep -c "^order-" <"$TMP/$crash.out" 2>/dev/null || true)" -ge 2 ] 2>/dev/null && break
    sleep 0.02
    waited=$((waited + 1))
  done
  if kill -0 "$run_pid" 2>/dev/null; then
    kill -KILL -- "-$run_pid" 2>/dev/null
    wait "$run_pid" 2>/dev/null
    half=$(checkpoints_of "$crash")
    ok "killed mid-run: $half of $total checkpoints committed, $(wc -l <"$TMP/$crash.out") lines printed"
  else
    wait "$run_pid"
    note "the run ended (exit $?) before it could be killed"
  fi
  run_pid=
  sed 's/^/    /' "$TMP/$crash.out"

  show "currant resume $crash"
  "${cur[@]}" resume "$crash" >"$TMP/$crash.resumed" 2>"$TMP/$crash.rerr"
  rc=$?
  sed 's/^/    /' "$TMP/$crash.resumed"
  if [ "$rc" -eq 0 ]; then
    ok "resumed run finished: $(checkpoints_of "$crash") checkpoints in all"
  else
    bad "resume exited $rc"
    grep -v '^currant: ' "$TMP/$crash.rerr" | tail -4 | sed 's/^/    /'
  fi
  if cat "$TMP/$crash.out" "$TMP/$crash.resumed" | cmp -s - "$TMP/$lang-plain.out"; then
    ok "printed before the crash + after the resume = one uninterrupted run"
  else
    bad "printed before the crash + after the resume differs from an uninterrupted run"
  fi

  show "currant show $crash   (first 12 lines)"
  "${cur[@]}" show "$crash" 2>&1 | head -12 | cut -c1-150 | sed 's/^/    /'
  # The last checkpoint committed before the kill.
  [ "$half" -gt 0 ] && half=$((half - 1))
  show "currant inspect $crash --at $half   (first 12 lines: the last checkpoint before the kill)"
  "${cur[@]}" inspect "$crash" --at "$half" 2>&1 | head -12 | cut -c1-150 | sed 's/^/    /'
  echo
}

if ! coordinator_ready; then
  note "skipped: build/currant (the coordinator) is not built yet, or lacks run/resume/show"
else
  # The journal and the frozen bundles live in the demo's temporary
  # directory; the coordinator finds the runtimes itself (no PYTHONPATH).
  HOME_DIR=$TMP/currant-home
  for lang in "${LANGS[@]}"; do durable_demo "$lang" "$(main_of "$lang")"; done
fi

step "done"
if [ $failures -eq 0 ]; then
  printf '%sall demo checks passed%s\n' "$G" "$N"
  exit 0
fi
printf '%s%d demo check(s) failed%s\n' "$R" "$failures" "$N"
exit 1
