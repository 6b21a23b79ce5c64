// CommonJS: an alias exported under another name.
const now = Date.now;
module.exports = { tick: now };
