package mattermost

import (
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

func TestNeutral(t *testing.T) {
	for in, want := range map[string]string{
		"":                        "",
		"plain words":             "plain words",
		"@channel":                "@" + zwj + "channel",
		"hi @all.":                "hi @" + zwj + "all.",
		"(@here)":                 "(@" + zwj + "here)",
		"x.@someone":              "x.@" + zwj + "someone",
		"ana.lopez@example.gov":   "ana.lopez@example.gov",
		"<!channel>":              "<" + zwj + "!channel>",
		"<@abc>":                  "<" + zwj + "@" + zwj + "abc>",
		"<#C1|general>":           "<" + zwj + "#C1|general>",
		"![x](https://e/p.png)":   "!" + zwj + "[x](https://e/p.png)",
		"wow! [link](https://e/)": "wow! [link](https://e/)",
		"a < b and c > d, ok!":    "a < b and c > d, ok!",
		"@@all":                   "@" + zwj + "@" + zwj + "all",
		"\n@here":                 "\n@" + zwj + "here",
		"é@channel":               "é@channel",
		"_@all":                   "_@" + zwj + "all",
	} {
		if got := neutral(in); got != want {
			t.Errorf("neutral(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReplyText(t *testing.T) {
	if got := replyText("col  one\n```escape``` @all"); !strings.HasPrefix(got, "```\n") || strings.Count(got, "```") != 2 {
		t.Errorf("fenced %q", got)
	}
	if got := replyText("one line @here\n"); got != "one line @"+zwj+"here" {
		t.Errorf("%q", got)
	}
	if got := replyText(strings.Repeat("x", maxMessage*2)); utf8.RuneCountInString(got) > maxMessage {
		t.Errorf("%d runes", utf8.RuneCountInString(got))
	}
}

func TestUsername(t *testing.T) {
	for token, want := range map[string]string{
		"@david.cho": "david.cho", "@David.Cho": "david.cho", "@ana_lopez-2": "ana_lopez-2", "@ben.": "ben",
		"@channel": "", "@all": "", "@here": "", "david": "", "@": "", "@1abc": "", "@a/b": "", "@a@b": "",
	} {
		got, ok := username(token)
		if got != want || ok != (want != "") {
			t.Errorf("username(%q) = %q %v", token, got, ok)
		}
	}
}

func TestClipBytes(t *testing.T) {
	for _, s := range []string{"Resolve CASE-123456789012345", "éééééééééééééééééééé", "short"} {
		got := clipBytes(s, 24)
		if len(got) > 24 || !utf8.ValidString(got) {
			t.Errorf("clipBytes(%q) = %q (%d bytes)", s, got, len(got))
		}
	}
}

func TestState(t *testing.T) {
	s := signer{key: []byte(actionSecret)}
	st := s.state("resolve", "CASE-3", ben, start)
	got, why := s.checkState(st, "resolve", ben, start.Add(time.Hour))
	if why != "" || got.Ref != "CASE-3" || got.Nonce == "" {
		t.Fatalf("%+v %q", got, why)
	}
	if other := s.state("resolve", "CASE-3", ben, start); other == st {
		t.Error("two states alike: no nonce")
	}
	for name, tc := range map[string]struct {
		state, callback, user string
		at                    time.Time
	}{
		"other user":      {st, "resolve", ana, start},
		"other dialog":    {st, "reassign", ben, start},
		"other case":      {strings.Replace(st, "CASE-3", "CASE-4", 1), "resolve", ben, start},
		"other time":      {strings.Replace(st, "|17", "|18", 1), "resolve", ben, start},
		"expired":         {st, "resolve", ben, start.Add(stateTTL + time.Second)},
		"from the future": {s.state("resolve", "CASE-3", ben, start.Add(time.Hour)), "resolve", ben, start},
		"empty":           {"", "resolve", ben, start},
		"too many parts":  {st + "|x", "resolve", ben, start},
	} {
		if _, why := s.checkState(tc.state, tc.callback, tc.user, tc.at); why == "" {
			t.Errorf("%s: accepted", name)
		}
	}
}

// FuzzNeutral: neutralised text never holds a mention the server's parser
// would act on, and only ever gains joiners.
func FuzzNeutral(f *testing.F) {
	for _, s := range []string{"@channel", "<!here>", "x.@all", "a@b", "![a](b)", "@\u200dall", "é@all", "<@U1|a>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		got := neutral(s)
		if strings.ReplaceAll(got, zwj, "") != strings.ReplaceAll(s, zwj, "") {
			t.Fatalf("neutral(%q) = %q changed more than joiners", s, got)
		}
		for _, m := range mentionWords(got) {
			switch strings.ToLower(m) {
			case "@channel", "@all", "@here":
				t.Fatalf("neutral(%q) = %q still mentions %s", s, got, m)
			}
		}
		if strings.Contains(got, "<!") || strings.Contains(got, "![") {
			t.Fatalf("neutral(%q) = %q", s, got)
		}
	})
}

// mentionWords splits text as Mattermost's mention parser does and returns
// the words that would be read as mentions of someone.
func mentionWords(text string) []string {
	var out []string
	for _, word := range strings.FieldsFunc(text, func(c rune) bool {
		return !(c == ':' || c == '.' || c == '-' || c == '_' || c == '@' || unicode.IsLetter(c) || unicode.IsNumber(c))
	}) {
		word = strings.TrimLeft(word, ":.-_")
		for _, part := range append([]string{word, strings.TrimRight(word, ".-:_")}, strings.FieldsFunc(word, func(c rune) bool { return c == '.' || c == '-' || c == ':' })...) {
			if strings.HasPrefix(part, "@") && len(part) > 1 {
				out = append(out, part)
			}
		}
	}
	return out
}
