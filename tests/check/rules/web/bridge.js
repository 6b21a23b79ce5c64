// unresolved-cross-language: imports and calls into Python.
const missing = require("./gone.py"); // expect: unresolved-cross-language
const { score, nothere } = require("../app/scoring.py"); // expect: unresolved-cross-language

function total() {
  return score(1) + nothere(2) + score(1, 2); // expect: bridge-arity
}
module.exports = { total, missing };
