const _currant = require("currant").module("exc.js"); const fs=require('fs');
const {execSync}=require('child_process');
// make a nonblocking empty pipe via /proc reopen
const net=require('net');
const r = _currant.call(0, _currant.ref(fs, "openSync"), '/proc/self/fd/0','r'); // placeholder
//# sourceMappingURL=exc.js.map
