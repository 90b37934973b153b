package commands_test

import (
	"context"
	"testing"

	"github.com/reportbot/reportbot/commands"
	"github.com/reportbot/reportbot/fault"
	"github.com/reportbot/reportbot/store/storetest"
)

// TestFormCategory: the category a reporter chooses on the form comes first
// on the case (and so in summaries and routing rules), keeps the
// classifier's evidence when it agrees, and an unknown one files nothing.
func TestFormCategory(t *testing.T) {
	tests := []struct {
		name, desc, category string
		wantIDs              []string
		wantEvidence         bool // the named category kept the classifier's evidence
		wantReply            string
	}{
		{"agrees with the classifier", "she posted a picture of a detainee on instagram", "4-2.f",
			[]string{"4-2.f"}, true, "§4-2.f — Statements about detainees"},
		{"overrides the classifier's order", "she posted a picture of a detainee on instagram", "4-4.j.ii",
			[]string{"4-4.j.ii", "4-2.f"}, false, "chosen by you"},
		{"the classifier found nothing", "something on a coworker's page looked wrong to me", "4-4.b",
			[]string{"4-4.b"}, false, "Classification: §4-4.b — Concealed or misrepresented name or affiliation — chosen by you"},
		{"left empty", "she posted a picture of a detainee on instagram", "",
			[]string{"4-2.f"}, true, "Classification: §4-2.f"},
	}
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				w := newWorld(t, b.NewURL(t))
				reply, err := w.handler.FileForm(context.Background(), w.person(ana),
					commands.FormReport{Description: tt.desc, Category: tt.category})
				if err != nil {
					t.Fatal(err)
				}
				contains(t, reply.Text, "Your report is CASE-1.", tt.wantReply)
				c := w.get(1)
				if len(c.Categories) < len(tt.wantIDs) {
					t.Fatalf("categories %+v, want %v first", c.Categories, tt.wantIDs)
				}
				for i, id := range tt.wantIDs {
					if c.Categories[i].ID != id {
						t.Fatalf("categories %+v, want %v first", c.Categories, tt.wantIDs)
					}
				}
				if c.TopCategory() != tt.wantIDs[0] || c.Categories[0].Named != (tt.category != "") {
					t.Errorf("top %q named %v", c.TopCategory(), c.Categories[0].Named)
				}
				if got := len(c.Categories[0].Evidence) > 0; got != tt.wantEvidence {
					t.Errorf("evidence %v", c.Categories[0].Evidence)
				}
				for _, cat := range c.Categories[1:] {
					if cat.ID == c.Categories[0].ID || cat.Named {
						t.Errorf("categories %+v", c.Categories)
					}
				}
				if tt.category != "" {
					contains(t, w.command(ben, "case CASE-1"), "chosen by the reporter")
				}
			})
		}
		t.Run("unknown category files nothing", func(t *testing.T) {
			w := newWorld(t, b.NewURL(t))
			for _, bad := range []string{"4-9.z", "<!channel>", "4-2.F"} {
				_, err := w.handler.FileForm(context.Background(), w.person(ana),
					commands.FormReport{Description: "a photo of a detainee", Category: bad})
				if fault.ReasonOf(err) != fault.BadCategory {
					t.Errorf("%q: err %v, want bad_category", bad, err)
				}
			}
			if _, err := w.store.Case(context.Background(), 1); err == nil {
				t.Error("a refused form filed a case")
			}
		})
	})
}
