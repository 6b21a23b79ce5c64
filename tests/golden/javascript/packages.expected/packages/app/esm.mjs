// An ES module importer takes the "import" condition of @acme/utils.
import { createRequire as _currantRequire } from "node:module"; const _currant = _currantRequire(import.meta.url)("currant").module("packages/app/esm.mjs"); import { refund } from "@acme/utils";

await _currant.call(0, refund, 2);
//# sourceMappingURL=esm.mjs.map
