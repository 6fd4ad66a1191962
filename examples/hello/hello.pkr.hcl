# A first kiln build that needs nothing but kiln itself: the `file` builder writes an artifact, a shell-local
# provisioner runs on this machine, and post-processors record a checksum and a manifest.
variable "greeting" {
  type    = string
  default = "hello from kiln"
}

locals {
  output_dir = "${path.root}/output"
}

source "file" "hello" {
  target  = "${local.output_dir}/hello.txt"
  content = "${upper(var.greeting)}\n"
}

build {
  sources = ["source.file.hello"]

  provisioner "shell-local" {
    inline = ["echo building ${source.name} with kiln"]
  }

  post-processor "checksum" {
    checksum_types = ["sha256"]
    output         = "${local.output_dir}/hello.{{.ChecksumType}}"
  }

  post-processor "manifest" {
    output = "${local.output_dir}/manifest.json"
  }
}
