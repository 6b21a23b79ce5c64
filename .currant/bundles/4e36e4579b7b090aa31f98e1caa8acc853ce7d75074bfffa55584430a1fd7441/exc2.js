const _currant = require("currant").module("exc2.js"); const fs=require('fs');
const fd=Number(process.argv[2]);
const buf=Buffer.alloc(100);
for (const lim of [10, 0]) {
  Error.stackTraceLimit = lim;
  const n=20000; const t=_currant.call(0, _currant.ref(process.hrtime, "bigint"));
  for(let i=0;i<n;i++){ try { _currant.call(1, _currant.ref(fs, "readSync"), fd,buf,0,100,null);} catch(e){ if(e.code!=='EAGAIN') throw e; } }
  console.log('stackTraceLimit',lim, Number(_currant.call(2, _currant.ref(process.hrtime, "bigint"))-t)/n/1000,'us per EAGAIN');
}
//# sourceMappingURL=exc2.js.map
