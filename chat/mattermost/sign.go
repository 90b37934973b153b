package mattermost

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io"
	"strconv"
	"strings"
	"time"
)

// Keys of a button's context. Mattermost gives the context back as it was
// stored, but numbers come back as float64: every value is a string.
const (
	ctxCase      = "case"
	ctxAction    = "action"
	ctxRecipient = "recipient"
	ctxSig       = "sig"
)

// stateTTL is how long a dialog stays good to submit.
const stateTTL = 24 * time.Hour

// signer makes and checks the signatures on button contexts and dialog
// states with BOT_ACTION_SECRET.
type signer struct {
	key  []byte
	rand io.Reader
}

func (s signer) mac(parts ...string) []byte {
	m := hmac.New(sha256.New, s.key)
	for _, p := range parts {
		// Length-prefixed, so that no two lists of parts sign alike.
		m.Write([]byte(strconv.Itoa(len(p))))
		m.Write([]byte{':'})
		m.Write([]byte(p))
	}
	return m.Sum(nil)
}

// actionSig signs a button: the case, the action and the person the card
// was sent to (their directory ID).
func (s signer) actionSig(ref, action, recipient string) string {
	return base64.RawURLEncoding.EncodeToString(s.mac("mattermost-action", ref, action, recipient))
}

// buttonContext is the signed context of one button.
func (s signer) buttonContext(ref, action string, recipient int64) map[string]any {
	to := strconv.FormatInt(recipient, 10)
	return map[string]any{ctxCase: ref, ctxAction: action, ctxRecipient: to, ctxSig: s.actionSig(ref, action, to)}
}

// clickContext is a button's context as it comes back: its strings, and
// whether the signature holds. Anything that is not a string, or missing,
// fails.
type clickContext struct {
	Ref, Action, Recipient string
}

func (s signer) checkContext(c map[string]any) (clickContext, bool) {
	str := func(k string) string { v, _ := c[k].(string); return v }
	cc := clickContext{Ref: str(ctxCase), Action: str(ctxAction), Recipient: str(ctxRecipient)}
	sig, err := base64.RawURLEncoding.DecodeString(str(ctxSig))
	if err != nil || cc.Ref == "" || cc.Action == "" || cc.Recipient == "" {
		return cc, false
	}
	return cc, hmac.Equal(sig, s.mac("mattermost-action", cc.Ref, cc.Action, cc.Recipient))
}

// state is a dialog's state: the case reference ("" for the report form),
// when it was issued (Unix seconds), a nonce, and a signature that also
// covers the dialog's callback ID and the Mattermost user it was opened for.
func (s signer) state(callback, ref, user string, now time.Time) string {
	var n [12]byte
	if _, err := io.ReadFull(randReader(s.rand), n[:]); err != nil {
		// No randomness: the state still binds user, dialog and time.
		copy(n[:], strconv.FormatInt(now.UnixNano(), 36))
	}
	nonce := hex.EncodeToString(n[:])
	at := strconv.FormatInt(now.Unix(), 10)
	sig := base64.RawURLEncoding.EncodeToString(s.mac("mattermost-dialog", callback, ref, user, at, nonce))
	return strings.Join([]string{ref, at, nonce, sig}, "|")
}

// checkedState is what a verified state holds.
type checkedState struct {
	Ref, Nonce string
}

// checkState verifies a submitted state for the dialog and user it claims,
// at now. It reports why not as a short word for the log.
func (s signer) checkState(state, callback, user string, now time.Time) (checkedState, string) {
	parts := strings.Split(state, "|")
	if len(parts) != 4 {
		return checkedState{}, "malformed"
	}
	ref, at, nonce, sig := parts[0], parts[1], parts[2], parts[3]
	raw, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(raw, s.mac("mattermost-dialog", callback, ref, user, at, nonce)) {
		return checkedState{}, "bad signature"
	}
	sec, err := strconv.ParseInt(at, 10, 64)
	if err != nil {
		return checkedState{}, "malformed"
	}
	if d := now.Unix() - sec; d > int64(stateTTL/time.Second) || d < -300 {
		return checkedState{}, "expired"
	}
	return checkedState{Ref: ref, Nonce: nonce}, ""
}

// randReader is crypto/rand unless a test gives another.
func randReader(r io.Reader) io.Reader {
	if r == nil {
		return rand.Reader
	}
	return r
}
