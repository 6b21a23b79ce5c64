// The axios instance axios_app.js uses, made here: currantc follows what
// this function returns into the file that calls it.
const axios = require("axios");

function makeApi() {
  return axios.create({ baseURL: `${process.env.LLM_ROOT}/v1`, headers: { "x-client": "test" } });
}

module.exports = { makeApi };
