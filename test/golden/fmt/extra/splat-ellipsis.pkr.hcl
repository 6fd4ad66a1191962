locals {
  a = var.list[*].id
  b = var.list.*.id
  c = var.list[ * ]
  d = max(var.nums...)
  e = max( var.nums ... )
  f = var.map["key"]
  g = var.list [0]
  h = var.list[0] [1]
  i = foo ()
  j = var.a.b [ "c" ]
  k = 1[0]
  l = "x"[0]
}
