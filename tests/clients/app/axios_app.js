// A program that uses axios as its documentation shows, with no currant API
// in it, its instance made by a function of another file (api_clients.js)
// and kept by a class: tests/suites/98-client-libraries.sh compiles it with
// currantc and runs it under currant, killed after each checkpoint.  The
// server is the fake LLM server (any JSON API would do), which answers 404
// to an unknown path.
const axios = require("axios");
const { makeApi } = require("./api_clients");

const root = process.env.LLM_ROOT;
const api = makeApi();

class Embedder {
  constructor() {
    this.http = makeApi();
  }

  embed(text) {
    return this.http.post("/embeddings", { model: "e", input: text });
  }
}

async function main() {
  const a = await axios.post(`${root}/v1/chat/completions`, { model: "m", messages: [{ role: "user", content: "one" }] });
  console.log("post:", a.status, a.data.choices[0].message.content, a.headers["content-type"]);
  const b = await new Embedder().embed("two");
  console.log("instance:", b.status, b.data.data[0].embedding.join(","));
  const c = await axios({ method: "post", url: `${root}/v1/messages`, data: { model: "c", messages: [{ role: "user", content: "three" }] } });
  console.log("config:", c.data.content[0].text);
  try {
    await api.post("/missing", {});
  } catch (err) {
    console.log("error:", err instanceof axios.AxiosError, err.response.status, err.response.data.error, err.code);
  }
}

main();
