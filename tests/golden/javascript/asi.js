// No emitted statement may start with ( [ ` + - /: lines without semicolons.
const fs = require("fs")
let x = 1
fs?.existsSync("/")
Date.now()
;[1, 2].forEach((n) => fs.existsSync("/" + n))
x = x
;(Math.random())
const y = String.raw
`${Date.now()}`
module.exports = { x, y: typeof y }
