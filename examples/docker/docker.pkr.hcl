# A real Docker image built with the docker builder: a container from a small local base image, a shell and a
# file provisioner, a commit with changes (working directory, environment, entry point, label) and a docker-tag
# post-processor. `docker run --rm kiln-example/hello` then greets you.
#
# The base image is used as found on this machine (pull = false), so the build needs no registry:
# base-image.sh pulls it first, or, when no registry can be reached, builds one from the host's static busybox.
variable "base_image" {
  type    = string
  default = "busybox:latest"
}

variable "repository" {
  type    = string
  default = "kiln-example/hello"
}

source "docker" "hello" {
  image  = var.base_image
  pull   = false
  commit = true
  changes = [
    "WORKDIR /srv/hello",
    "ENV GREETING=Hello",
    "ENTRYPOINT [\"/bin/sh\", \"/srv/hello/hello.sh\"]",
    "CMD [\"world\"]",
    "LABEL org.opencontainers.image.title=kiln-hello",
  ]
}

build {
  sources = ["source.docker.hello"]

  provisioner "shell" {
    inline = [
      "mkdir -p /srv/hello",
      "echo \"${source.name}, built by kiln from ${var.base_image}\" > /srv/hello/build-info",
    ]
  }

  provisioner "file" {
    source      = "${path.root}/files/hello.sh"
    destination = "/srv/hello/hello.sh"
  }

  provisioner "shell" {
    inline = ["sh /srv/hello/hello.sh provisioner"]
  }

  post-processor "docker-tag" {
    repository = var.repository
    tags       = ["latest"]
  }
}
