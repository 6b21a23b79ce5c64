"use strict";
// CommonJS into Python: destructured and plain require.
const { score: sc } = require("../model.py");
const model = require("../model.py");

function go(n) {
  return sc(n) + model.score(n, 1) + require("../model.py").score(2);
}

module.exports = { go };
