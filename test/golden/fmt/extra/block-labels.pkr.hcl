source    "null"    "a"    {
  communicator="none"
}
build{
  name="x"
  sources=["source.null.a"]
  provisioner "shell-local"{
    inline=["echo"]
  }
  post-processor    "manifest"  {}
}
