"use strict";
// Process-wide runtime state: the durable session, or null (pass-through).
// One object shared by every module so the hot path is one property read.

/** @type {{session: any}} */
module.exports = { session: null };
