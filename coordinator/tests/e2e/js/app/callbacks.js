const _currant = require("currant").module("app/callbacks.js");
// Node's callback style: the outcome of fs.appendFile/readFile/stat and
// child_process.exec is what their callback gets, recorded when it fires;
// a replay calls the callback with it (the side effect is not done again)
// and the callback goes on in the caller's frame.  Output printed between
// a call and its callback (or await) was printed before a crash at its
// commit, and is not printed again.  Side effects are counted in SIDE,
// appended once per line.
const fs = require("fs");
const { exec } = require("child_process");
const side = process.env.SIDE;

_currant.call(0, fs.appendFile, side, "first\n", (err) => {
  console.log("appended", err);
  _currant.call(1, fs.readFile, side, "utf8", (err2, text) => {
    console.log("read", err2, JSON.stringify(text.split("\n")[0]));
    _currant.call(2, fs.stat, side, (err3, st) => {
      console.log("stat", err3, st.isFile());
      _currant.call(3, exec, "echo hi", (err4, stdout, stderr) => {
        console.log("exec", err4, JSON.stringify(stdout), JSON.stringify(stderr));
        _currant.call(4, fs.readFile, side + ".missing", (err5) => {
          console.log("missing", err5 && err5.code);
          _currant.call(0, fs.appendFile, side, "last\n", async () => {
            // printed before the stat's outcome is committed: a resume from
            // that commit must not print it again
            const pending = _currant.call(5, fs.promises.stat, side);
            console.log("between the call and its await");
            console.log("awaited", (await pending).isFile());
            console.log("done");
          });
        });
      });
    });
  });
});
console.log("started");
