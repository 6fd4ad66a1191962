locals {
  obj = {
    "é" = 3
    "👍🏽" = 1
    "ab" = 2 # x
    "éé" = "—" # y
  }
}
