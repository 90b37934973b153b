package links_test

import (
	"strings"
	"testing"

	"github.com/reportbot/reportbot/links"
)

func TestParse(t *testing.T) {
	tests := []struct {
		raw, url, key string
	}{
		{"https://www.facebook.com/ana.lopez/posts/123?fbclid=abc#x", "https://www.facebook.com/ana.lopez/posts/123", "facebook.com/ana.lopez/posts/123"},
		{"HTTPS://M.Facebook.com/ana.lopez/posts/123/", "https://m.facebook.com/ana.lopez/posts/123/", "facebook.com/ana.lopez/posts/123"},
		{"http://example.gov:80/a?b=2&a=1&utm_source=x", "http://example.gov/a?a=1&b=2", "example.gov/a?a=1&b=2"},
		{"https://example.gov", "https://example.gov/", "example.gov"},
		{"<https://x.com/p/1|x.com/p/1>", "https://x.com/p/1", "x.com/p/1"},
		{"https://example.gov:8443/p", "https://example.gov:8443/p", "example.gov/p"},
	}
	for _, tt := range tests {
		l, err := links.Parse(tt.raw)
		if err != nil {
			t.Errorf("%q: %v", tt.raw, err)
			continue
		}
		if l.URL != tt.url || l.Key != tt.key {
			t.Errorf("%q: got %q %q, want %q %q", tt.raw, l.URL, l.Key, tt.url, tt.key)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	for _, raw := range []string{
		"", "javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<b>x</b>", "file:///etc/passwd",
		"ftp://example.gov/x", "https://", "https:///path", "//example.gov/x", "example.gov", "https://bank.gov@evil.example/",
		"https://exa mple.gov", "https://example.gov/\x00", "https://" + strings.Repeat("a", links.MaxLength),
		"mailto:a@b.gov", "vbscript:x",
	} {
		if l, err := links.Parse(raw); err == nil {
			t.Errorf("%q accepted as %+v", raw, l)
		}
	}
}

func TestLooksLikeLink(t *testing.T) {
	for word, want := range map[string]bool{
		"javascript:alert(1)": true, "www.example.gov": true, "ftp://x": true, "https://x": true,
		"detainee": false, "4-2.f": false, "she:": false,
	} {
		if got := links.LooksLikeLink(word); got != want {
			t.Errorf("%q: %v, want %v", word, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"https://example.gov/a?b=1#c", "javascript:x", "http://[::1]:80/", "<https://a|b>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		l, err := links.Parse(raw)
		if err != nil {
			return
		}
		if !strings.HasPrefix(l.URL, "http://") && !strings.HasPrefix(l.URL, "https://") {
			t.Fatalf("%q parsed to %q", raw, l.URL)
		}
		again, err := links.Parse(l.URL)
		if err != nil || again.Key != l.Key {
			t.Fatalf("%q: normalised %q does not parse to the same key: %v %q %q", raw, l.URL, err, again.Key, l.Key)
		}
	})
}
