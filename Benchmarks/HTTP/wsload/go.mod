module wsload

go 1.19
