// The Python worker dies mid-call once: the call is invoked again.
const { die_once } = require("./model.py");

console.log("die once", die_once(1));
