// A JavaScript module the Python side calls.
function price(n) {
  return n * 2;
}
module.exports = { price };
