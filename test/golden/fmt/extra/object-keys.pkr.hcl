locals {
  a = {
    key: "v"
    "quoted": 1
    long_key_name: 2
    (var.k) = 3
    x = {
      y: 1,
      zz: 2,
    }
  }
  b = { for x in ["a"]: x => x }
  c = [for x in["a"]: x]
  d = [for x in [ "a" ] : x]
}
