locals {
  a = var.x ? "y" : "n"
  b = var.x?1:2
  c = var.x ? {a=1} : {}
  d = (var.x ? 1 : 2)
}
