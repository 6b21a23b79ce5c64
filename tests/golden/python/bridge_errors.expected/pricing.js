function quote(n, rate) {
  return n * rate;
}
function helper() {}
module.exports = { quote };
