#!/usr/bin/env bash
# per-call cost, (best-of-3 t(N) - best-of-3 t(1)) / (N-1), µs
C=/work/main/build/currant; B=/work/main/coordinator/bench; N=${N:-500}
W=$(mktemp -d); cd "$W"; export CURRANT_QUIET=1
t() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(((e - s) / 1000)); }
best() { local min= us i; for i in 1 2 3; do us=$(t $C --sync $3 run --id "$1-$2-$4-$3-$i-$RANDOM" "$B/steps.$1" "$4" "$2"); if [ -z "$min" ] || [ "$us" -lt "$min" ]; then min=$us; fi; done; echo $min; }
for lang in py js; do for mode in full normal; do
  task=$(echo "($(best $lang task $mode $N) - $(best $lang task $mode 1)) / ($N - 1)" | bc -l)
  bridge=$(echo "($(best $lang bridge $mode $N) - $(best $lang bridge $mode 1)) / ($N - 1)" | bc -l)
  printf '%s %s task %.1f bridge %.1f ratio %.2f\n' $lang $mode $task $bridge $(echo "$bridge / $task" | bc -l)
done; done
rm -rf "$W"
