variable "x" {
type = string
default = "a"
description="long"
  sensitive   =    false
}

locals {
  a = 1
  bbbbbb = 2

  cc = 3
  # a comment breaks the chain
  dddddd = 4
  e = {
    f = 1
    gggg = 2
  }
  hhhhhhh = 5
  i = [1,2,
  3]
  jj = 6
}
