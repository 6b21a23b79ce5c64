// Calls before the declarations they use: function and var hoisting, let shadowing.
var clock = { now: () => Date.now() };
const first = stamp();
function stamp() {
  return clock.now() + later();
}
function later() { return Math.random(); }
function shadowed() {
  let Date = { now: () => 0 }; // a local Date: not the global clock
  return Date.now();
}
{
  const Math = { random: () => 4 };
  Math.random();
}
module.exports = { first: typeof first, shadowed: shadowed() };
