// super.m() and #private methods cannot be detached from their receiver.
class Base {
  stamp() { return Date.now(); }
}
class Child extends Base {
  #secret() { return Math.random(); }
  stamp() {
    const own = super.stamp();
    return [own, this.#secret(), Date.now()];
  }
}
module.exports = { Child };
