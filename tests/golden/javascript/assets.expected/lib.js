function total(prices, items) {
  return items.reduce((sum, item) => sum + prices[item], 0);
}
module.exports = { total };
