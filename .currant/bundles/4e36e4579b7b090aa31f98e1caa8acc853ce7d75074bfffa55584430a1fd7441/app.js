const _currant = require("currant").module("app.js"); const fs = require("fs");
const { exec, execFile } = require("child_process");
_currant.call(0, _currant.ref(fs, "readFile"), "/etc/hostname", "utf8", (err, data) => {
  console.log("read", err, data.length > 0);
  _currant.call(1, _currant.ref(fs, "stat"), "/etc/hostname", (err2, st) => {
    console.log("stat", st.isFile());
    _currant.call(2, exec, "echo hi", (err3, stdout) => console.log("exec", JSON.stringify(stdout)));
  });
});
//# sourceMappingURL=app.js.map
