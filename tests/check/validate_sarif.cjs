// validate_sarif.cjs — validates SARIF logs against the published SARIF
// 2.1.0 JSON schema (sarif-2.1.0.json as shipped by Microsoft's
// @microsoft/sarif-multitool-linux npm package) with ajv's draft 2020-12
// validator and ajv-formats (uri, uri-reference, date-time, uuid).
//
//   NODE_PATH=build/check-test/node_modules node tests/check/validate_sarif.cjs LOG...
//
// Prints one line per violation (file: JSON pointer message) and exits 1 if any.
"use strict";
const fs = require("fs");
const Ajv2020 = require("ajv/dist/2020");
const addFormats = require("ajv-formats");

const schemaPath = require.resolve("@microsoft/sarif-multitool-linux/sarif-2.1.0.json");
const schema = JSON.parse(fs.readFileSync(schemaPath, "utf8"));
if (!/2\.1\.0/.test(schema.title || "")) throw new Error(`${schemaPath} is not the SARIF 2.1.0 schema`);
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(schema);

let bad = 0;
for (const file of process.argv.slice(2)) {
  const doc = JSON.parse(fs.readFileSync(file, "utf8"));
  if (!validate(doc)) {
    bad++;
    for (const e of validate.errors) console.log(`${file}: ${e.instancePath || "/"} ${e.message}`);
  }
}
process.exit(bad ? 1 : 0);
