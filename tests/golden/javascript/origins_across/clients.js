// Factories of the values other files call methods on.
const axios = require("axios");
const OpenAI = require("openai");

function makeApi(base) {
  return axios.create({ baseURL: base });
}

const makeModel = () => new OpenAI();

module.exports = { makeApi, makeModel };
