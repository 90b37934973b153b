package slack

import (
	"maps"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPlain(t *testing.T) {
	tests := []struct {
		in, want string
		mentions map[string]string
	}{
		{"<https://x.example/a?b=1&amp;c=2|x.example/a> posted", "https://x.example/a?b=1&c=2 posted", nil},
		{"<https://x.example/a>", "https://x.example/a", nil},
		{"<@U0DAVID|david.cho> and <@U0BEN>", "@david.cho and @U0BEN", map[string]string{"@david.cho": "U0DAVID", "@U0BEN": "U0BEN"}},
		{"<@U1|Ana Lopez>", "@U1", map[string]string{"@U1": "U1"}},
		{"<!channel> <!here|here> <!subteam^S1|@nurses> <!subteam^S2>", "@channel here @nurses @team", nil},
		{"<#C123|general> <#C456>", "#general #C456", nil},
		{"a &lt; b &amp;&amp; c &gt; d", "a < b && c > d", nil},
		{"&amp;lt; stays", "&lt; stays", nil},
		{"unclosed <https://x", "unclosed <https://x", nil},
		{"", "", nil},
	}
	for _, tt := range tests {
		got, m := plain(tt.in)
		if got != tt.want || !maps.Equal(m, tt.mentions) {
			t.Errorf("plain(%q) = %q %v, want %q %v", tt.in, got, m, tt.want, tt.mentions)
		}
	}
}

func TestChunksNeverCutAnEntity(t *testing.T) {
	s := esc(strings.Repeat("a&b<c>\n", 900))
	for _, n := range []int{7, 10, 100, 3000} {
		parts := chunks(s, n)
		if strings.Join(parts, "") != s {
			t.Fatalf("n=%d: pieces do not add up", n)
		}
		for _, p := range parts {
			if utf8.RuneCountInString(p) > n {
				t.Fatalf("n=%d: piece of %d", n, utf8.RuneCountInString(p))
			}
			if strings.Count(p, "&") != strings.Count(p, ";") {
				t.Fatalf("n=%d: entity cut in %q", n, p)
			}
		}
	}
}

func FuzzPlain(f *testing.F) {
	f.Add("<@U1|a> <https://x|y> &amp; <!channel>")
	f.Add("<<<>>>&&;;")
	f.Fuzz(func(t *testing.T, s string) {
		out, m := plain(s)
		for token, id := range m {
			if !strings.HasPrefix(token, "@") || !validUserID(id) {
				t.Fatalf("mention %q → %q", token, id)
			}
		}
		// Escaping what plain made and reading it back is the identity.
		if back, _ := plain(esc(out)); back != out {
			t.Fatalf("round trip %q → %q", out, back)
		}
	})
}
