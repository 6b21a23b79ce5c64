// axios: the module called with a config, its request functions, and an
// instance from axios.create() called either way; helpers are no requests.
const axios = require("axios");

const api = axios.create({ baseURL: "https://api.example.com" });

async function moduleCalls(u, body) {
  await axios({ url: u });
  await axios.request({ url: u });
  await axios.get(u);
  await axios.delete(u);
  await axios.head(u);
  await axios.options(u);
  await axios.post(u, body);
  await axios.put(u, body);
  await axios.patch(u, body);
  await axios.postForm(u, body);
  await axios.putForm(u, body);
  await axios.patchForm(u, body);
  return axios.isAxiosError(null); // not a request
}

async function instanceCalls(u, body) {
  await api({ url: u });
  await api.request({ url: u });
  await api.get(u);
  await api.delete(u);
  await api.head(u);
  await api.options(u);
  await api.post(u, body);
  await api.put(u, body);
  await api.patch(u, body);
  await api.postForm(u, body);
  await api.putForm(u, body);
  return api.patchForm(u, body);
}

module.exports = { moduleCalls, instanceCalls };
