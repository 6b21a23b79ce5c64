"use strict";
const path = require("path");
const { readFileSync } = require("fs");

exports.read = (p) => readFileSync(path.join(__dirname, p), "utf8");
module.exports.when = function () { return Date.now(); };
