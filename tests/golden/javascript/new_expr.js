// `new` with and without parentheses; only `new Date()` without arguments is a site.
function times() {
  const a = new Date();
  const b = new Date;
  const c = new Date(2020, 1, 1);
  const d = new Date().getTime();
  const e = (new Date).toISOString();
  return [a, b, c, d, e];
}
module.exports = { times };
