module github.com/reportbot/reportbot

go 1.26.8

require (
	golang.org/x/text v0.31.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
