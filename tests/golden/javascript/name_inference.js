// Function expressions are never wrapped: `const f = () => ...` keeps f.name.
const now = () => Date.now();
const later = async function () { return Date.now(); };
const obj = { stamp: () => Date.now() };
module.exports = { now, later, obj, names: [now.name, later.name, obj.stamp.name] };
