package policy_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/reportbot/reportbot/policy"
)

func categoryIDs(res policy.Result) []string {
	var ids []string
	for _, m := range res.Categories {
		ids = append(ids, m.ID)
	}
	return ids
}

func TestClassifyTopCategory(t *testing.T) {
	c := newClassifier(t)
	tests := []struct{ text, want string }{
		{"she posted a picture of a detainee on her instagram", "4-2.f"},
		{"Reply-all to the whole list about the election again, third time this week", "4-4.e"},
		{"nurse on B unit is selling essential oils on the agency email list", "4-4.f"},
		{"he said that detainee is guilty and deserves what's coming at his trial", "4-2.f"},
		{"what the fuck is wrong with this place", "4-4.j.i"},
		{"WHAT THE F U C K", "4-4.j.i"},
		{"this is bullsh1t", "4-4.j.i"},
		{"ѕhіt show at work today", "4-4.j.i"},
		{"fuuuuuck this shift", "4-4.j.i"},
		{"f*ck management", "4-4.j.i"},
		{"he called the new detainee a wetback in the group chat", "4-4.j.i"},
		{"posted a video of himself drunk driving in uniform", "4-4.j.ii"},
		{"uses his personal gmail to forward patient records home", "4-2.h"},
		{"asked IT for admin rights so he could turn off the audit logging", "4-4.d"},
		{"Forward this to 10 people within the hour or bad luck will follow", "4-4.e"},
		{"she logged into her supervisor's email account and read her messages", "4-4.c"},
		{"sent the complaint from a fake name so nobody would know it was him", "4-4.b"},
		{"he posted our internal outbreak plan on reddit", "4-4.h"},
	}
	for _, tt := range tests {
		res := c.Classify(tt.text)
		top, ok := res.Top()
		if !ok || top.ID != tt.want {
			t.Errorf("%q: got %v, want top %s", tt.text, categoryIDs(res), tt.want)
		}
	}
}

func TestClassifyLeavesCleanTextsAlone(t *testing.T) {
	c := newClassifier(t)
	for _, text := range []string{
		"",
		"The Scunthorpe office moved to Essex; cocktail reception at 6.",
		"Annual assessment of therapeutic diets is due Friday.",
		"shiitake mushroom soup in the cafeteria",
		"She graduated magna cum laude and loves Dickens.",
		"Reminder: never post photos of detainees on social media.",
		"Do not forward chain letters on the agency list.",
		"Please send the assistant HSA your timesheet by Friday.",
		"the detainee's dental appointment moved to 3pm",
		"Can we vote on the potluck theme? Tacos or pasta.",
		"Thanks for covering my shift yesterday, I owe you one.",
	} {
		if res := c.Classify(text); len(res.Categories) > 0 {
			t.Errorf("%q: flagged %v (%v)", text, categoryIDs(res), res.Categories[0].Rules)
		}
	}
}

func TestClassifyEvidencePointsAtOriginalRunes(t *testing.T) {
	c := newClassifier(t)
	text := "Ünïcödé 😀 first: she posted a ｐｉｃｔｕｒｅ of a detainee on instagram"
	res := c.Classify(text)
	top, ok := res.Top()
	if !ok || top.ID != "4-2.f" {
		t.Fatalf("got %v, want 4-2.f", categoryIDs(res))
	}
	runes := []rune(text)
	var words []string
	for _, ev := range top.Evidence {
		if got := string(runes[ev.Start:ev.End]); got != ev.Text {
			t.Errorf("evidence %+v: runes %d..%d are %q", ev, ev.Start, ev.End, got)
		}
		words = append(words, ev.Text)
	}
	joined := strings.Join(words, " ")
	for _, want := range []string{"ｐｉｃｔｕｒｅ", "detainee"} {
		if !strings.Contains(joined, want) {
			t.Errorf("evidence %q lacks %q", joined, want)
		}
	}
}

func TestClassifyScoresAndOrder(t *testing.T) {
	c := newClassifier(t)
	res := c.Classify("posted a racist meme on facebook calling mexicans animals, and a picture of a detainee")
	if len(res.Categories) < 2 {
		t.Fatalf("want several categories, got %v", categoryIDs(res))
	}
	for i, m := range res.Categories {
		if m.Score < 0.5 || m.Score > 1 {
			t.Errorf("%s score %v outside [threshold, 1]", m.ID, m.Score)
		}
		if i > 0 && m.Score > res.Categories[i-1].Score {
			t.Errorf("categories not best first: %v", categoryIDs(res))
		}
		if m.Title == "" || m.Citation == "" || len(m.Evidence) == 0 {
			t.Errorf("%s lacks title, citation or evidence: %+v", m.ID, m)
		}
	}
	if res.RulebookVersion != c.Version() || c.Version() == "" {
		t.Errorf("rulebook version %q / %q", res.RulebookVersion, c.Version())
	}
}

func TestClassifyReportsPII(t *testing.T) {
	c := newClassifier(t)
	res := c.Classify("she posted detainee A123456789's photo, call 305-555-0134")
	kinds := map[string]bool{}
	for _, f := range res.PII {
		kinds[string(f.Kind)] = true
	}
	if !kinds["a_number"] || !kinds["phone"] {
		t.Errorf("pii %+v, want a_number and phone", res.PII)
	}
}

func TestRulebookValidation(t *testing.T) {
	good, err := os.ReadFile("rulebook.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, edit, want string
	}{
		{"not yaml", "\t: [", "not valid YAML"},
		{"unknown concept", strings.Replace(string(good), "all: [chain]", "all: [chian]", 1), `unknown concept "chian"`},
		{"bad weight", strings.Replace(string(good), "weight: 0.8\n", "weight: 1.8\n", 1), "weight must be in (0, 1]"},
		{"bad term", strings.Replace(string(good), "    - detainee*\n", "    - Detainee!\n", 1), `term "Detainee!"`},
		{"missing category", strings.Replace(string(good), `id: "4-5"`, `id: "4-9"`, 1), "category 4-5 is missing"},
		{"unknown key", "colour: blue\n" + string(good), "unknown top-level keys: colour"},
		{"threshold", strings.Replace(string(good), "threshold: 0.5", "threshold: 2", 1), "threshold must be between 0 and 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := policy.ParseRulebook([]byte(tt.edit))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want error containing %q", err, tt.want)
			}
		})
	}
}

func TestLoadRulebookOverride(t *testing.T) {
	good, err := os.ReadFile("rulebook.yaml")
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(good), `version: "`, `version: "custom-`, 1)
	edited = strings.Replace(edited, "concepts:\n", "concepts:\n  pineapple_pizza: [pineapple pizza]\n", 1)
	edited = strings.Replace(edited, "      - name: chain-letter\n", "      - name: pizza\n        all: [pineapple_pizza]\n        weight: 0.9\n      - name: chain-letter\n", 1)
	path := filepath.Join(t.TempDir(), "rules.yaml")
	if err := os.WriteFile(path, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	rb, err := policy.LoadRulebook(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := policy.New(rb)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(c.Version(), "custom-") {
		t.Errorf("version %q", c.Version())
	}
	if top, ok := c.Classify("sent pineapple pizza pics to everyone").Top(); !ok || top.ID != "4-4.e" {
		t.Errorf("override rule did not fire")
	}
	if _, err := policy.LoadRulebook(filepath.Join(t.TempDir(), "missing.yaml")); err == nil {
		t.Error("missing file loaded")
	}
}

func FuzzClassify(f *testing.F) {
	for _, s := range []string{"f u c k", "she posted a picture of a detainee", "ｆｕｃｋ 😀", "\xff\xfe", "A123456789", "never post photos"} {
		f.Add(s)
	}
	c := newClassifier(f)
	f.Fuzz(func(t *testing.T, text string) {
		res := c.Classify(text)
		n := utf8.RuneCountInString(text)
		runes := []rune(text)
		for _, m := range res.Categories {
			if m.Score < 0 || m.Score > 1 {
				t.Fatalf("score %v", m.Score)
			}
			for _, ev := range m.Evidence {
				if ev.Start < 0 || ev.End > n || ev.Start >= ev.End {
					t.Fatalf("evidence %+v outside %d runes", ev, n)
				}
				if utf8.ValidString(text) && string(runes[ev.Start:ev.End]) != ev.Text {
					t.Fatalf("evidence %+v does not match text", ev)
				}
			}
		}
		for _, p := range res.PII {
			if p.Start < 0 || p.End > n || p.Start >= p.End {
				t.Fatalf("pii %+v outside %d runes", p, n)
			}
		}
	})
}
