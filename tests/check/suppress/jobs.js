// Per-line suppressions in JavaScript: 3 silenced, 1 still reported.
function work() {
  const a = eval("1"); // currant: ignore[nondeterminism]
  // currant: ignore
  const b = eval("2");
  const c = eval("3"); /* currant: ignore[nondeterminism] */
  const d = eval("4"); // expect: nondeterminism
  return [a, b, c, d];
}
work();
