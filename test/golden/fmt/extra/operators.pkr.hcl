locals {
  a = -1
  b = 1-1
  c = 1 - -1
  d = (-1)
  e = [-1, - 2]
  f = var.x?-1:-2
  g = !var.x
  h = ! var.x && !var.y
  i = 2*-3
  j = 4 / -2 % -1
  k = 1 == -1 || 1 != -1
  l = 1 > -1 && 1 >= -1 && 1 < -1 && 1 <= -1
  m = -var.x
  n = -foo(1)
  o = {a = -1}
  p = var.list[-1+2]
  q = a-b
  r = "x"-1
  s = (1)-1
  t = [1][0]-1
  u = 1   +   2   *   3
  v = !(true)
}
