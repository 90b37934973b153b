package fault_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/reportbot/reportbot/fault"
)

func TestSentencesAndCodes(t *testing.T) {
	tests := []struct {
		err  error
		code fault.Code
		want string
	}{
		{fault.E(fault.CaseNotFound, "CASE-9"), fault.NotFound, "There is no CASE-9."},
		{fault.E(fault.CaseDisposed, "CASE-12", "2 Jan 2031"), fault.NotFound, "CASE-12 was disposed of on 2 Jan 2031 under the records schedule."},
		{fault.E(fault.DescriptionLong, 4100, 4000), fault.Invalid, "Your description is 4100 characters and the limit is 4000"},
		{fmt.Errorf("filing: %w", fault.E(fault.BadTransition, "CASE-2", "resolved", "acknowledged")), fault.Conflict, "CASE-2 is resolved, so it can't be acknowledged"},
		{errors.New("pq: connection refused"), fault.Internal, "Something went wrong on our side"},
		{fault.Wrap(errors.New("dial tcp: refused"), fault.StoreUnavailable), fault.Unavailable, "can't be reached"},
	}
	for _, tt := range tests {
		if got := fault.CodeOf(tt.err); got != tt.code {
			t.Errorf("%v: code %s, want %s", tt.err, got, tt.code)
		}
		if got := fault.Sentence(tt.err); !strings.Contains(got, tt.want) {
			t.Errorf("%v: sentence %q lacks %q", tt.err, got, tt.want)
		}
	}
}

func TestInternalDetailIsNotShown(t *testing.T) {
	err := fault.Wrap(errors.New("password=hunter2"), fault.InternalError)
	if strings.Contains(fault.Sentence(err), "hunter2") {
		t.Error("cause leaked into the sentence")
	}
	if !strings.Contains(err.Error(), "hunter2") {
		t.Error("cause missing from the log text")
	}
}
