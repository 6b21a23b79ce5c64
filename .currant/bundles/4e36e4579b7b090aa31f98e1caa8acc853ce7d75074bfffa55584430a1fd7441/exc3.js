const _currant = require("currant").module("exc3.js"); const fs=require('fs');
const fd=Number(process.argv[2]);
const buf=Buffer.alloc(100);
Error.stackTraceLimit = 0;
const times=[];
for(let i=0;i<2000;i++){ const t=_currant.call(0, _currant.ref(process.hrtime, "bigint")); try { _currant.call(1, _currant.ref(fs, "readSync"), fd,buf,0,100,null);} catch(e){ if(e.code!=='EAGAIN') throw e; } times.push(Number(_currant.call(2, _currant.ref(process.hrtime, "bigint"))-t)/1000); }
const blk=(a,b)=>(times.slice(a,b).reduce((x,y)=>x+y,0)/(b-a)).toFixed(1);
console.log('first1', times[0].toFixed(0), '2-10', blk(1,10), '10-100', blk(10,100), '100-500', blk(100,500), '500-2000', blk(500,2000));
//# sourceMappingURL=exc3.js.map
