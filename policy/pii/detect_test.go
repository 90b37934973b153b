package pii_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/reportbot/reportbot/policy/pii"
)

// describe renders findings as "kind:text" so table entries read naturally.
func describe(text string, fs []pii.Finding) []string {
	r := []rune(text)
	out := []string{}
	for _, f := range fs {
		if f.Start < 0 || f.End > len(r) || f.Start >= f.End {
			out = append(out, fmt.Sprintf("%s:<bad span %d..%d>", f.Kind, f.Start, f.End))
			continue
		}
		out = append(out, string(f.Kind)+":"+string(r[f.Start:f.End]))
	}
	return out
}

type detectCase struct {
	text string
	want []string // "kind:text"; empty means no PII
}

func runCases(t *testing.T, cases []detectCase) {
	t.Helper()
	for _, c := range cases {
		got := describe(c.text, pii.Detect(c.text))
		want := c.want
		if want == nil {
			want = []string{}
		}
		if !slices.Equal(got, want) {
			t.Errorf("Detect(%q)\n got  %q\n want %q", c.text, got, want)
		}
	}
}

func TestDetectSSN(t *testing.T) {
	runCases(t, []detectCase{
		{"SSN: 123-45-6789", []string{"ssn:123-45-6789"}},
		{"my ssn is 123 45 6789.", []string{"ssn:123 45 6789"}},
		{"social security number 078-05-1120", []string{"ssn:078-05-1120"}},
		{"Social Security No. 219099999", []string{"ssn:219099999"}},
		{"SS# 219099999", []string{"ssn:219099999"}},
		{"SSN#219099999", []string{"ssn:219099999"}},
		{"Her number: 123-45-6789", []string{"ssn:123-45-6789"}},
		{"(123-45-6789)", []string{"ssn:123-45-6789"}},
		{"SSN:123-45-6789", []string{"ssn:123-45-6789"}},
		{"SSN:123456789", []string{"ssn:123456789"}},
		{"order SSN 123-45-6789", []string{"ssn:123-45-6789"}}, // nearer positive context wins
		{"SSN 123-45-6789,and more", []string{"ssn:123-45-6789"}},
		{"SSN 123-45-6789.Next", []string{"ssn:123-45-6789"}},
		// Negative context wins over the shape.
		{"order 123-45-6789", nil},
		{"Invoice #123-45-6789", nil},
		{"PO 123-45-6789", nil},
		{"ref: 123-45-6789", nil},
		{"case no. 123-45-6789", nil},
		{"SSN order 123-45-6789", nil},
		// Never-issued numbers.
		{"000-12-3456", nil},
		{"666-12-3456", nil},
		{"900-12-3456", nil},
		{"987-65-4321", nil},
		{"123-00-4567", nil},
		{"123-45-0000", nil},
		{"SSN 000123456", nil},
		// Bare nine digits need context.
		{"123456789", nil},
		{"order number 123456789", nil},
		// Embedded in longer runs, or the wrong shape.
		{"123-45-67890", nil},
		{"1123-45-6789", nil},
		{"9-123-45-6789", nil},
		{"123-45-6789-1", nil},
		{"123-45-6789.5", nil},
		{"123-45-6789,000", nil},
		{"123-45-6789:30", nil},
		{"x123-45-6789", nil},
		{"123.45.6789", nil},
		{"123-45 6789", nil},
		{"10:123-45-6789", nil},
		{"1,123-45-6789", nil},
		{"$123-45-6789", nil},
		{"123456789012", nil},
	})
}

func TestDetectPhone(t *testing.T) {
	runCases(t, []detectCase{
		{"call (305) 555-0134", []string{"phone:(305) 555-0134"}},
		{"(305)555-0134", []string{"phone:(305)555-0134"}},
		{"305-555-0134", []string{"phone:305-555-0134"}},
		{"305.555.0134", []string{"phone:305.555.0134"}},
		{"305 555 0134", []string{"phone:305 555 0134"}},
		{"+1 305 555 0134", []string{"phone:+1 305 555 0134"}},
		{"+1-305-555-0134", []string{"phone:+1-305-555-0134"}},
		{"+1 (305) 555-0134", []string{"phone:+1 (305) 555-0134"}},
		{"1-800-555-0199", []string{"phone:1-800-555-0199"}},
		{"+13055550134", []string{"phone:+13055550134"}},
		{"call 3055550134 now", []string{"phone:3055550134"}},
		{"phone: 13055550134", []string{"phone:13055550134"}},
		{"+44 20 7946 0958", []string{"phone:+44 20 7946 0958"}},
		{"+52 55 1234 5678.", []string{"phone:+52 55 1234 5678"}},
		{"+33 1 23 45 67 89", []string{"phone:+33 1 23 45 67 89"}},
		{"+442079460958", []string{"phone:+442079460958"}},
		{"Tel. +49-30-123456", []string{"phone:+49-30-123456"}},
		{"Tel:305-555-0134", []string{"phone:305-555-0134"}},
		{"Phone:(305) 555-0134", []string{"phone:(305) 555-0134"}},
		{"tel:+13055550134", []string{"phone:+13055550134"}},
		{"reach me at 305-555-0134, or 305.555.0199!", []string{"phone:305-555-0134", "phone:305.555.0199"}},
		// Negative context.
		{"order 305-555-0134", nil},
		{"ticket (305) 555-0134", nil},
		{"tracking 3055550134", nil},
		{"invoice +1 305 555 0134", nil},
		{"version 305.555.0134", nil},
		{"v 305.555.0134", nil},
		{"build 305-555-0134", nil},
		{"serial: 305-555-0134", nil},
		{"Model # 305-555-0134", nil},
		{"part no. 305-555-0134", nil},
		// Invalid NANP, bare digits without context, wrong shapes.
		{"3055550134", nil},
		{"105-555-0134", nil},
		{"305-155-0134", nil},
		{"(105) 555-0134", nil},
		{"+1 105 555 0134", nil},
		{"305-555-01345", nil},
		{"12305-555-0134", nil},
		{"305-555-0134-22", nil},
		{"a305-555-0134", nil},
		{"$305.555.0134", nil},
		{"192.168.100.200", nil},
		{"10.200.300.4000", nil},
		{"at 10:305-555-0134", nil},
		{"978-3-16-148410-0", nil},
		{"2+2", nil},
		{"+5", nil},
		{"+1 2", nil},
		{"+123", nil},
		{"+0 123 456 7890", nil},
		{"C++11 and C+1234567890", nil},
		{"+4420794609581234567", nil},
	})
}

func TestDetectANumber(t *testing.T) {
	runCases(t, []detectCase{
		{"A123456789", []string{"a_number:A123456789"}},
		{"a123456789", []string{"a_number:a123456789"}},
		{"A12345678", []string{"a_number:A12345678"}},
		{"A1234567", []string{"a_number:A1234567"}},
		{"A-123-456-789", []string{"a_number:A-123-456-789"}},
		{"A-123456789", []string{"a_number:A-123456789"}},
		{"A# 012 345 678", []string{"a_number:A# 012 345 678"}},
		{"A#012345678", []string{"a_number:A#012345678"}},
		{"A 012345678", []string{"a_number:A 012345678"}},
		{"A number 12345678", []string{"a_number:12345678"}},
		{"A-number: 123456789", []string{"a_number:123456789"}},
		{"a-number 123-456-789", []string{"a_number:123-456-789"}},
		{"his alien number 012345678", []string{"a_number:012345678"}},
		{"alien registration number 012-345-678", []string{"a_number:012-345-678"}},
		{"Alien Registration No. 012345678", []string{"a_number:012345678"}},
		{"USCIS # 123456789", []string{"a_number:123456789"}},
		{"A-number: A123456789", []string{"a_number:A123456789"}},
		{"(A123456789)", []string{"a_number:A123456789"}},
		// Not A-numbers.
		{"A1 quality", nil},
		{"Highway A1", nil},
		{"A123", nil},
		{"A123456", nil},
		{"A1234567890", nil},
		{"A123456789B", nil},
		{"XA123456789", nil},
		{"B123456789", nil},
		{"model A1234567", nil},
		{"part no. A-123-456-789", nil},
		{"I paid a 12345678 fee", nil},
		{"a file 12345678 was sent", nil},
		{"A-123-456-789-0", nil},
		{"A 123", nil},
	})
}

func TestDetectDOB(t *testing.T) {
	runCases(t, []detectCase{
		{"DOB: 03/14/1985", []string{"dob:03/14/1985"}},
		{"DOB 3/14/85", []string{"dob:3/14/85"}},
		{"d.o.b. 3-14-85", []string{"dob:3-14-85"}},
		{"D.O.B.: 14.03.1985", []string{"dob:14.03.1985"}},
		{"date of birth 1985-03-14", []string{"dob:1985-03-14"}},
		{"date of birth is 1985/3/14", []string{"dob:1985/3/14"}},
		{"DOB:03/14/1985", []string{"dob:03/14/1985"}},
		{"born on March 14, 1985", []string{"dob:March 14, 1985"}},
		{"born March 14th, 1985", []string{"dob:March 14th, 1985"}},
		{"born Mar. 14 1985", []string{"dob:Mar. 14 1985"}},
		{"birthday is 14 March 1985", []string{"dob:14 March 1985"}},
		{"born on the 14th of March, 1985", []string{"dob:14th of March, 1985"}},
		{"Birthdate: Sept. 3, 1990", []string{"dob:Sept. 3, 1990"}},
		{"DOB of detainee: 03/14/1985", []string{"dob:03/14/1985"}},
		{"fecha de nacimiento 14/03/1985", []string{"dob:14/03/1985"}},
		{"born 02/29/1984.", []string{"dob:02/29/1984"}},
		// Dates without birth context, invalid dates, partial dates.
		{"2024-03-14 meeting", nil},
		{"on 03/14/1985 the order shipped", nil},
		{"March 14, 1985 meeting", nil},
		{"born in 1985", nil},
		{"born in Mexico, arrived 03/14/2020", nil},
		{"DOB: 13/13/1985", nil},
		{"born 02/30/1985", nil},
		{"DOB: 03/14", nil},
		{"born on March 2024", nil},
		{"DOB 03/14-1985", nil},
		{"DOB 1985-03-14-22", nil},
		{"born 03/14/1685", nil},
	})
}

func TestDetectEmail(t *testing.T) {
	runCases(t, []detectCase{
		{"john.doe+tag@mail.example.co.uk", []string{"email:john.doe+tag@mail.example.co.uk"}},
		{"JOHN@EXAMPLE.COM", []string{"email:JOHN@EXAMPLE.COM"}},
		{"a_b-c@sub-domain.example.org", []string{"email:a_b-c@sub-domain.example.org"}},
		{"contact: maria.g@example.com.", []string{"email:maria.g@example.com"}},
		{"<jdoe@example.com>", []string{"email:jdoe@example.com"}},
		{"x@y.io", []string{"email:x@y.io"}},
		{"1985jdoe@example.com", []string{"email:1985jdoe@example.com"}},
		{"josé@example.com", []string{"email:josé@example.com"}},
		{"o'brien@example.ie", []string{"email:o'brien@example.ie"}},
		{"a@b.co and c@d.org", []string{"email:a@b.co", "email:c@d.org"}},
		{"305-555-0134@txt.example.net", []string{"email:305-555-0134@txt.example.net"}},
		// Not addresses.
		{"@username", nil},
		{"thanks @username!", nil},
		{"foo@bar", nil},
		{"foo@bar.", nil},
		{"a@b.c", nil},
		{"user@localhost", nil},
		{"@example.com", nil},
		{"foo@.com", nil},
		{"foo.@bar.com", nil},
		{"foo@bar..com", nil},
		{"foo@bar.c0m", nil},
		{"foo @ bar.com", nil},
		{"foo@@bar.com", nil},
	})
}

func TestDetectMedical(t *testing.T) {
	runCases(t, []detectCase{
		{"Maria Gonzalez is pregnant", []string{"medical:pregnant"}},
		{"Mr. Chen takes insulin daily", []string{"medical:insulin"}},
		{"detainee Ramirez has HIV", []string{"medical:HIV"}},
		{"patient J. Smith had a seizure", []string{"medical:seizure"}},
		{"J. Smith is on dialysis", []string{"medical:dialysis"}},
		{"@jdoe was diagnosed with schizophrenia", []string{"medical:diagnosed", "medical:schizophrenia"}},
		{"Maria Gonzalez arrived Monday. She is on methadone.", []string{"medical:methadone"}},
		{"Mrs. Lopez is HIV-positive", []string{"medical:HIV-positive"}},
		{"detainee RAMIREZ on suicide watch", []string{"medical:suicide watch"}},
		{"Juan Perez has sickle cell and blood pressure problems", []string{"medical:sickle cell", "medical:blood pressure"}},
		{"José Núñez tiene diabetes", []string{"medical:diabetes"}},
		{"HIV+ detainee Ortiz", []string{"medical:HIV+"}},
		{"Maria Gonzalez, 34, bipolar disorder, prescribed Seroquel", []string{"medical:bipolar disorder", "medical:prescribed", "medical:Seroquel"}},
		{"Ana Ruiz had a miscarriage last week", []string{"medical:miscarriage"}},
		{"Dr. Patel says Mr. Kim has tuberculosis (TB)", []string{"medical:tuberculosis", "medical:TB"}},
		{"inmate Diaz attempted suicide twice", []string{"medical:attempted suicide"}},
		{"the detainee, Ramirez, has HIV", []string{"medical:HIV"}},
		{"Patient: Smith. Condition: asthma", []string{"medical:asthma"}},
		{"Detainee: Maria Gonzalez\nCondition: diabetes", []string{"medical:diabetes"}},
		{"Carlos Mendez has hepatitis C and needs psychiatric care", []string{"medical:hepatitis C", "medical:psychiatric"}},
		// No identified person.
		{"diabetes awareness month", nil},
		{"Flu shots available", nil},
		{"Diabetes Awareness Month at the clinic", nil},
		{"Free Flu Shots Available This Week", nil},
		{"Free HIV testing this Friday", nil},
		{"She is pregnant.", nil},
		{"The detainee has diabetes", nil},
		{"ICE Health Service Corps offers TB screening", nil},
		{"Insulin prices are rising in Texas", nil},
		{"Mental Health Awareness Week", nil},
		// Too far from the name.
		{"Maria Gonzalez filed a complaint about the food, the cold showers, the noise at night and also insulin", nil},
	})
}

// TestDetectFalsePositiveTraps covers the traps named in the design brief:
// none of these is PII.
func TestDetectFalsePositiveTraps(t *testing.T) {
	runCases(t, []detectCase{
		{"version 1.2.3", nil},
		{"v2.10.1", nil},
		{"tracking 1Z999AA10123456784", nil},
		{"Call me at 3pm", nil},
		{"room 305", nil},
		{"$305.55", nil},
		{"2024-03-14 meeting", nil},
		{"A1 quality", nil},
		{"Highway A1", nil},
		{"at 10:30", nil},
		{"order #4412-3390 shipped 12/01/2024 for $1,305.55", nil},
		{"Case 2024-00123 filed in room 305 at 10:30, ref 88-1234567", nil},
		{"build 1.22.3-rc1, commit 9f8e7d6c", nil},
		{"the post has 12,345,678 views and 305 comments", nil},
		{"Krome Service Processing Center, Miami, FL 33194", nil},
		{"IHSC Directive 01-22 and ICE memo 2013", nil},
	})
}

func TestDetectMixedReport(t *testing.T) {
	text := "User @jdoe posted that detainee Maria Gonzalez (DOB 03/14/1985, A# 012 345 678) is pregnant " +
		"and was denied insulin. Her family can be reached at (305) 555-0134 or maria.g@example.com; " +
		"her SSN 123-45-6789 was visible. Order 123-45-6789 and tracking 1Z999AA10123456784 are unrelated."
	runCases(t, []detectCase{{text, []string{
		"dob:03/14/1985", "a_number:A# 012 345 678", "medical:pregnant", "medical:insulin",
		"phone:(305) 555-0134", "email:maria.g@example.com", "ssn:123-45-6789",
	}}})
}

// TestDetectRuneOffsets checks that offsets count runes, not bytes, when
// multi-byte characters (and invalid bytes) precede a finding.
func TestDetectRuneOffsets(t *testing.T) {
	for _, c := range []struct {
		text       string
		start, end int
	}{
		{"ñ 123-45-6789", 2, 13},                // 2-byte rune: byte offset would be 3
		{"🙂🙂 call 305-555-0134", 8, 20},         // 4-byte runes
		{"电子邮件: li.wei@example.cn", 6, 23},      // 3-byte runes
		{"\xff\xfe 123-45-6789", 3, 14},         // each invalid byte is one rune
		{"José Núñez – DOB 03/14/1985", 17, 27}, // en dash is punctuation
	} {
		fs := pii.Detect(c.text)
		if len(fs) != 1 || fs[0].Start != c.start || fs[0].End != c.end {
			t.Errorf("Detect(%q) = %+v, want one finding at [%d,%d)", c.text, fs, c.start, c.end)
		}
	}

	text := "Señora José Núñez 🙂 — DOB 03/14/1985, tel +52 55 1234 5678, correo jn@example.mx, está embarazada; José Núñez tiene VIH y diabetes"
	runes := []rune(text)
	want := []string{"03/14/1985", "+52 55 1234 5678", "jn@example.mx", "diabetes"}
	fs := pii.Detect(text)
	if len(fs) != len(want) {
		t.Fatalf("got %q, want %q", describe(text, fs), want)
	}
	for i, f := range fs {
		b := strings.Index(text, want[i])
		start := utf8.RuneCountInString(text[:b])
		if f.Start != start || f.End != start+utf8.RuneCountInString(want[i]) || string(runes[f.Start:f.End]) != want[i] {
			t.Errorf("finding %d = %+v, want %q at rune %d", i, f, want[i], start)
		}
	}
}

func TestDetectEdgeInputs(t *testing.T) {
	for _, text := range []string{
		"", " ", "\x00", "\xff", "@", "+", "(", "A", "a-", "A#", "1", "-1-", "....", "@@@@",
		"123-45-", "(305) 555-", "+1 ", "DOB", "DOB:", "born on March", "Mr.", "detainee",
		strings.Repeat("9", 100), strings.Repeat("-", 100), strings.Repeat("\xed\xa0\x80", 10),
	} {
		fs := pii.Detect(text)
		if len(fs) != 0 {
			t.Errorf("Detect(%q) = %q, want none", text, describe(text, fs))
		}
	}
}

// TestDetectLinearTime runs 64 KiB inputs that would expose quadratic
// rescans; each must finish quickly (generous bound for -race and slow CI).
func TestDetectLinearTime(t *testing.T) {
	const size = 64 << 10
	rep := func(s string) string { return strings.Repeat(s, size/len(s)+1)[:size] }
	for name, text := range map[string]string{
		"digits":     rep("0123456789"),
		"at":         rep("@"),
		"dots":       rep("."),
		"email-ish":  rep("a.b@c.d"),
		"local-runs": rep("a.a.a.a.a.a.a@"),
		"dashes":     rep("1-2-3-4-5-"),
		"spaced":     rep("12 34 56 78 "),
		"medical":    rep("HIV "),
		"names":      rep("Maria Gonzalez "),
		"plus":       rep("+1 "),
		"parens":     rep("(305) "),
		"letter-a":   rep("A- "),
		"invalid":    rep("\xff"),
		"mixed":      rep("Mr. Chen HIV 305-555-0134 a@b.co DOB 03/14/1985 A# 012 345 678 "),
	} {
		start := time.Now()
		fs := pii.Detect(text)
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: Detect took %v on 64 KiB", name, d)
		}
		checkFindings(t, text, fs)
	}
}

// checkFindings asserts the invariants every Detect result must satisfy.
func checkFindings(t *testing.T, text string, fs []pii.Finding) {
	t.Helper()
	n := utf8.RuneCountInString(text)
	prevEnd := 0
	for i, f := range fs {
		if f.Start < prevEnd || f.Start >= f.End || f.End > n {
			t.Fatalf("finding %d %+v invalid (prev end %d, rune count %d) in %q", i, f, prevEnd, n, truncate(text))
		}
		switch f.Kind {
		case pii.SSN, pii.ANumber, pii.DateOfBirth, pii.Phone, pii.Email, pii.Medical:
		default:
			t.Fatalf("finding %d has unknown kind %q", i, f.Kind)
		}
		prevEnd = f.End
	}
}

func truncate(s string) string {
	if len(s) > 200 {
		return s[:200] + "..."
	}
	return s
}
