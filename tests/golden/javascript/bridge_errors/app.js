const gone = require("./gone.py");
const { score, nope } = require("./model.py");
const model = require("./model.py");

score(1, 2, 3);
score();
score(...[1, 2, 3]);
model.nothere();
module.exports = { gone };
