package routing_test

import "time"

var testTime = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
