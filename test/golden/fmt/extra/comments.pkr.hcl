# leading comment
   // indented comment at top
locals {
a = 1 # one
bbbb = "two"   // two
  ccccccc = [1, 2] /* three */
  /* block
     comment */
  d = 4 # four
e = 5 /* inline */ # tail
  # lone
}
/* trailing */
source "null" "x" { # after brace
  communicator = "none" # c
} # after close
