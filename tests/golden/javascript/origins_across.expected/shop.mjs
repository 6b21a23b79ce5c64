// Calls on values made by functions of another file (clients.js): each is
// followed there, by a const bound from the call, on the call's result at
// once, and through an attribute a class keeps it in.
import { createRequire as _currantRequire } from "node:module"; const _currant = _currantRequire(import.meta.url)("currant").module("shop.mjs"); import { makeApi, makeModel } from "./clients.js";

export class Shop {
  constructor(base) {
    this.http = makeApi(base);
  }

  charge(n) {
    return _currant.call(0, _currant.ref(this.http, "post"), "/charge", { n });
  }
}

export async function audit(base) {
  const api = makeApi(base);
  await _currant.call(1, _currant.ref(api, "get"), "/audit");
  await _currant.call(2, _currant.ref(makeApi(base), "delete"), "/audit");
  const model = makeModel();
  return _currant.call(3, _currant.ref(model.chat.completions, "create"), { model: "m", messages: [] });
}
//# sourceMappingURL=shop.mjs.map
