region="us-east-1"
instance_type =   "t2.micro"
tags={Name="x",Env = "dev"}
count=3
