locals {
  a = 1
}   