// CPU-bound, one boundary site that is never reached: currantc rewrites the
// file (runtime import, Date.now() checkpointed) but a run hits no boundary.
// For coordinator/bench/peers/peers.py: the no-boundary overhead.
function work(n) {
  let total = 0;
  for (let i = 0; i < n; i++) total = (total * 31 + i) % 1000003;
  return total;
}
const n = Number(process.argv[2]);
const r = work(n);
if (n < 0) console.log(Date.now());
console.log(r);
