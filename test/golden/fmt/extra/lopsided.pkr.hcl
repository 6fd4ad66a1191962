locals {
  a = foo(bar(
    1,
    2))
  b = {
    c = [
      1]}
  d = [[
    1,
  ],
  ]
}
