source "null" "x" {
  a = 1
  bbbb = {
    c = 2
  }
  ddd = 3
  eeeeeeeee = "x"
  nested {
    f = 1
    gg = 2
  }
  hh = [
    1,
  ]
  i = "j"
}
