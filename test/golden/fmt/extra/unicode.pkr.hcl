locals {
  obj = {
    "héllo" = 1
    "日本語" = 2
    "e\u0301" = 3
    "ae" = 4 # été
    b = "ü" # x
    cc = "abc" # y
  }
}
