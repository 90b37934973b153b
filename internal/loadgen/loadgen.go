// Package loadgen makes realistic, reproducible synthetic reports for load
// tests and benchmarks: the same seed always gives the same lines, so figures
// measured on different days compare like with like.
package loadgen

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
)

// Generator produces synthetic reports. It is not safe for concurrent use.
type Generator struct {
	r *rand.Rand
	n int
}

// New returns a generator whose output is fixed by seed.
func New(seed uint64) *Generator {
	return &Generator{r: rand.New(rand.NewPCG(seed, 0x5eed))}
}

// Report is one input line of `bot classify`.
type Report struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	URL  string `json:"url,omitempty"`
}

// Next returns the next report. Texts are about 200 bytes: a report of a
// posting (most of them a likely violation, some harmless), now and then
// carrying PII such as an A-number or a phone number, as real reports do.
func (g *Generator) Next() Report {
	g.n++
	var b strings.Builder
	b.WriteString(g.pick(openers))
	b.WriteString(g.pick(subjects))
	b.WriteByte(' ')
	if g.r.IntN(4) == 0 {
		b.WriteString(g.pick(harmless))
	} else {
		b.WriteString(g.pick(violations))
	}
	b.WriteString(". ")
	// Consecutive details from a random start, so none repeats.
	for i := g.r.IntN(len(details)); b.Len() < 150; i++ {
		b.WriteString(details[i%len(details)])
		b.WriteByte(' ')
	}
	b.WriteString(g.pick(closings))
	rep := Report{ID: fmt.Sprintf("r-%06d", g.n), Text: strings.TrimSpace(b.String())}
	if g.r.IntN(5) < 3 {
		rep.URL = fmt.Sprintf(g.pick(urls), g.r.IntN(1_000_000_000))
	}
	return rep
}

// Line returns the next report as one JSON line, newline included.
func (g *Generator) Line() []byte {
	data, err := json.Marshal(g.Next())
	if err != nil {
		panic(err) // a Report of strings always marshals
	}
	return append(data, '\n')
}

func (g *Generator) pick(list []string) string { return list[g.r.IntN(len(list))] }

var (
	openers = []string{
		"Saw this on Facebook last night: ", "Reporting a post from this morning. ", "FYI, ",
		"Not sure if this counts, but ", "A coworker showed me that ", "Flagging this for review: ",
		"", "Per 4-7 I am reporting that ",
	}
	subjects = []string{
		"a nurse on B unit", "the night shift LPN", "an officer from transport", "someone in the Krome clinic group chat",
		"a PHS officer", "a contractor at the front desk", "one of the new medical assistants", "Dr. Reyes",
	}
	violations = []string{
		"posted a picture of a detainee on instagram",
		"shared the housing unit floor plan in a public Facebook group",
		"used the agency email to sell raffle tickets for her kid's team",
		"posted a racist meme about detainees on his public page",
		"logged into the IHSC twitter from a personal laptop",
		"is phone banking for a congressional candidate from the clinic phone",
		"tried to get admin privileges on the mail server to delete his sent items",
		"posted a video of himself riding on the roof of the transport van",
		"said on TikTok that the detainee in room 4 is guilty and will be deported",
		"forwarded a chain letter to the whole distro with reply-all",
	}
	harmless = []string{
		"posted about her marathon time", "shared the potluck sign-up sheet",
		"asked in the group how the new leave policy works", "posted a reminder to never share patient photos",
		"put up photos from the unit's holiday party with everyone's permission",
	}
	details = []string{
		"The post is still up.", "It has about 40 likes and a few shares.", "Detainee A# 012 345 678 is named in the caption.",
		"Her number (305) 555-0134 is in the comments.", "Screenshot attached.", "It was posted around 2 am.",
		"DOB 03/14/1985 is visible in the photo.", "Several staff commented on it.", "I think it is a public account.",
		"He deleted it after an hour but people saved it.",
	}
	closings = []string{"Please advise.", "Can someone look at this?", "", "Thanks.", "Not sure who else to tell."}
	urls     = []string{
		"https://facebook.com/groups/txnurses/posts/%d", "https://www.instagram.com/p/C%d/",
		"https://x.com/nightshift/status/%d", "https://www.tiktok.com/@krome/video/%d",
	}
)
