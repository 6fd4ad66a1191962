locals {
  a = [for x in var.list: x]
  b = [for x in [1,2]: x*2]
  c = {for k, v in var.map: k => v}
  d = {for k,v in var.map : k=>v...}
  e = [for x in var.list: x if x!=""]
  f = [ for i, x in var.list : "${i}=${x}" ]
  g = {for s in var.list: s => upper(s) if s != null}
}
