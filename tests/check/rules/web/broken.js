function ok() {
  return 1;
}
function bad( { // expect: syntax-error
  return 2;
}
