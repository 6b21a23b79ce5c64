// Direct eval is left alone (it sees the local scope); indirect calls too.
function run(code) {
  const local = Date.now();
  const a = eval(code);
  const b = (0, eval)(code);
  return [local, a, b];
}
module.exports = { run };
