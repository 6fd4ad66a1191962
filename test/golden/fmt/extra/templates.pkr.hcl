locals {
  a = "${ var.x }-${var.y}${ var.z }"
  b = "%{ if var.x }yes%{ else }no%{ endif }"
  c = "%{~ for v in var.list ~}${ v },%{~ endfor ~}"
  d = "$${literal} %%{literal} ${ { a = 1 }.a }"
  e = "  spaced   literal  "
  f = "${var.a+var.b} ${var.a  *  2} ${ -1 }"
  g = "${~var.x~}"
}
