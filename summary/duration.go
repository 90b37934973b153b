package summary

import (
	"strconv"
	"strings"
	"time"
)

// ParseSince reads a look-back period: "7d", "2w", "24h", "90m", or
// anything time.ParseDuration accepts. It refuses zero, negative and
// absurdly long periods (over ten years).
func ParseSince(s string) (time.Duration, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return 0, false
	}
	var d time.Duration
	unit := s[len(s)-1]
	if unit == 'd' || unit == 'w' {
		n, err := strconv.Atoi(s[:len(s)-1])
		if err != nil {
			return 0, false
		}
		day := 24 * time.Hour
		if unit == 'w' {
			day *= 7
		}
		if n <= 0 || n > 3700 { // bounds the multiplication below
			return 0, false
		}
		d = time.Duration(n) * day
	} else {
		var err error
		if d, err = time.ParseDuration(s); err != nil {
			return 0, false
		}
	}
	if d <= 0 || d > 10*366*24*time.Hour {
		return 0, false
	}
	return d, true
}
