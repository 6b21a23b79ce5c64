// unresolved-cross-language: imports and calls into Python.
const missing = require("./gone.py"); // expect: unresolved-cross-language
const { score, nothere } = require("../app/scoring.py");

function total() {
  return score(1) + nothere(2); // expect: unresolved-cross-language
}
module.exports = { total, missing };
