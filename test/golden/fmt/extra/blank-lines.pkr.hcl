


locals {


  a = 1


}


