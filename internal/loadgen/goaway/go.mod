module github.com/reportbot/reportbot/internal/loadgen/goaway

go 1.26.8

require github.com/TwiN/go-away v1.8.1

require golang.org/x/text v0.30.0 // indirect
