locals {
a = <<EOT
  keep   this
	and tabs	here
EOT
bbbb = <<-EOT
    indented ${var.x}   text
    %{ if true }yes%{ endif }
    EOT
c = 1
  d = [<<EOF2
inner
EOF2
, "x"]
}
provisioner "shell" {
inline = [<<EOS
echo ${ upper( "a" ) }
EOS
]
}
