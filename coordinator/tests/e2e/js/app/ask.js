// A readline Interface across a crash: it is made again on resume, and the
// answers its question() got before the crash come from the journal (the
// resumed run reads only the answers still to come).
const _currant = require("currant").module("app/ask.js"); const readline = require("readline");
const rl = _currant.call(0, _currant.ref(readline, "createInterface"), { input: process.stdin, output: process.stdout });
_currant.call(1, _currant.ref(rl, "question"), "name? ", (name) => {
  console.log("hello", name, _currant.call(2, _currant.ref(Date, "now")) > 0);
  _currant.call(3, _currant.ref(rl, "question"), "again? ", (x) => {
    console.log("bye", x);
    rl.close();
  });
});
