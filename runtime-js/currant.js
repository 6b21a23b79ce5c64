"use strict";
// Lets NODE_PATH=runtime-js resolve require("currant") to this package
// (NODE_PATH entries are searched for "currant.js" or "currant/", so the
// package root itself is reachable only through this file).
module.exports = require("./index.js");
