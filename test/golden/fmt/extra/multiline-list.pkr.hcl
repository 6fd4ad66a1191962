build {
  sources = [
      "source.null.a",
        "source.null.b"
  ]
  provisioner "shell-local" {
    inline = ["echo a",
              "echo b"]
  }
  provisioner "shell-local" {
    inline = [
    "echo a", "echo b",
    ]
    environment_vars = ["A=1",
    "B=2"]
  }
}
