#!/usr/bin/env node
// The runtime binding goes after the hashbang and the directive prologue.
"use strict";
'another directive';
const t = Date.now();
console.log(typeof t);
