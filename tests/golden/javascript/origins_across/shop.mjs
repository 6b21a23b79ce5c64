// Calls on values made by functions of another file (clients.js): each is
// followed there, by a const bound from the call, on the call's result at
// once, and through an attribute a class keeps it in.
import { makeApi, makeModel } from "./clients.js";

export class Shop {
  constructor(base) {
    this.http = makeApi(base);
  }

  charge(n) {
    return this.http.post("/charge", { n });
  }
}

export async function audit(base) {
  const api = makeApi(base);
  await api.get("/audit");
  await makeApi(base).delete("/audit");
  const model = makeModel();
  return model.chat.completions.create({ model: "m", messages: [] });
}
