source "null" "a" {}
source "null" "b" {   }
source "null" "c" { communicator = "none" }
build {sources=["source.null.a"]}
locals {
  empty = {}
  emptylist = []
  obj = {a=1}
  spaced = {   }
  spacedlist = [   ]
  call = foo(   )
}
