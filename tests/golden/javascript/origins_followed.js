// Values of known origin reached through the code that makes them: a
// function that returns one (directly, or a const bound from one; an
// arrow's expression body too), and what a class keeps in this.NAME (its
// methods' writes, or a field), when every such value has one origin.
const fs = require("fs");
const axios = require("axios");

function makeApi(base) {
  return axios.create({ baseURL: base });
}

async function openLog(path) {
  if (!path) return null;
  const handle = await fs.promises.open(path, "a");
  return handle;
}

const makeOther = () => axios.create();

function either(flag) {
  if (flag) return axios.create();
  return fs.promises.open("x"); // two origins: calls of either() are not followed
}

class Shop {
  shared = axios.create();

  constructor(base) {
    this.http = makeApi(base);
    this.mixed = either(true);
    this.count = 0;
  }

  async charge(n) {
    this.count += 1;
    await this.shared.get("/rates");
    return this.http.post("/charge", { n });
  }

  other() {
    return this.mixed.post("/x"); // not a site
  }
}

class Swapped {
  constructor() {
    this.http = axios.create();
  }

  use(client) {
    this.http = client; // any value: this.http is not followed
  }

  go() {
    return this.http.post("/y"); // not a site
  }
}

async function run() {
  await makeApi("http://127.0.0.1:9").get("/a");
  const api = makeOther();
  await api.post("/b");
  const log = await openLog("/tmp/log");
  await log.write("done\n");
  [1].map(() => {
    return axios.create(); // an anonymous function's return: run() is not a factory
  });
  await either(false).post("/c"); // not a site
}

module.exports = { run, Shop, Swapped };
