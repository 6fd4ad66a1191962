locals {
obj = {
a = {
b = {
c = 1
dd = [
{ x = 1, y = 2 },
{x=3,y=4}
]
}
}
}
list = [
"a",
"b",
[ "c", "d" ],
]
fn = concat(
[1],
[2],
)
mixed = { a = [1, 2], b = { c = "d" } }
}
