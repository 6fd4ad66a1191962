# The docker build bench/docker-build.mjs times with kiln and with Packer 1.6.6: a container from a local image,
# shell and file provisioners, a commit and a docker-tag. Each tool tags its own repository (-var repository=...).

variable "image" {
  type    = string
  default = "kiln-test/busybox:latest"
}

variable "repository" {
  type    = string
  default = "kiln-bench/docker-build"
}

source "docker" "bench" {
  image   = var.image
  pull    = false
  commit  = true
  changes = ["ENV BENCH=1", "WORKDIR /srv"]
}

build {
  sources = ["source.docker.bench"]

  provisioner "shell" {
    inline = [
      "mkdir -p /srv/app",
      "echo built > /srv/app/marker",
      "for i in 1 2 3 4 5; do echo line $i; done",
    ]
  }

  provisioner "file" {
    source      = "files/payload.txt"
    destination = "/srv/app/payload.txt"
  }

  provisioner "file" {
    source      = "files/"
    destination = "/srv/app"
  }

  provisioner "shell" {
    inline = ["cat /srv/app/payload.txt", "ls /srv/app"]
  }

  post-processor "docker-tag" {
    repository = var.repository
    tags       = ["bench"]
  }
}
