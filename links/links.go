// Package links checks and normalises the web addresses people report, so
// that the same page reported twice — with tracking parameters, "www.", a
// mobile host or a fragment — is recognised as the same page.
package links

import (
	"errors"
	"net"
	"net/url"
	"strings"
	"unicode"
)

// MaxLength bounds a link; longer ones are refused rather than cut.
const MaxLength = 2048

// ErrNotWeb is returned for anything but an http or https address with a host.
var ErrNotWeb = errors.New("not an http or https address")

// Link is a checked address.
type Link struct {
	// URL is the address as it will be shown and followed: scheme and host
	// in lower case, default port, fragment and tracking parameters removed.
	URL string
	// Key identifies the page for finding related reports: the host without
	// "www." or "m.", the path without a trailing slash, the remaining query
	// parameters sorted.
	Key string
}

// trackingParams are query parameters that identify the sharer, not the page.
func trackingParam(name string) bool {
	name = strings.ToLower(name)
	if strings.HasPrefix(name, "utm_") {
		return true
	}
	switch name {
	case "fbclid", "gclid", "dclid", "msclkid", "igshid", "igsh", "si", "mc_cid", "mc_eid", "ref_src", "ref_url", "s", "t", "feature", "share_id", "mibextid":
		return true
	}
	return false
}

// Parse checks raw and normalises it. It refuses javascript:, data:, file:
// and every other scheme, addresses without a host, user information
// ("https://bank.com@evil.example"), control characters and overlong links.
func Parse(raw string) (Link, error) {
	raw = strings.TrimSpace(raw)
	// Slack wraps links as <https://…|label>; Markdown leaves <…>.
	raw = strings.TrimSuffix(strings.TrimPrefix(raw, "<"), ">")
	if i := strings.IndexByte(raw, '|'); i >= 0 {
		raw = raw[:i]
	}
	if raw == "" || len(raw) > MaxLength || strings.IndexFunc(raw, func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) }) >= 0 {
		return Link{}, ErrNotWeb
	}
	u, err := url.Parse(raw)
	if err != nil {
		return Link{}, ErrNotWeb
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.Opaque != "" {
		return Link{}, ErrNotWeb
	}
	host := strings.ToLower(u.Hostname())
	if host == "" || strings.HasPrefix(host, ".") {
		return Link{}, ErrNotWeb
	}
	port := u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	u.Host = host
	if port != "" {
		u.Host = net.JoinHostPort(host, port)
	} else if strings.Contains(host, ":") {
		u.Host = "[" + host + "]" // an IPv6 literal
	}
	u.Fragment, u.RawFragment = "", ""
	q := u.Query()
	for name := range q {
		if trackingParam(name) {
			q.Del(name)
		}
	}
	u.RawQuery = q.Encode() // sorted by name
	if u.Path == "" {
		u.Path = "/"
	}
	keyHost := strings.TrimPrefix(strings.TrimPrefix(host, "www."), "m.")
	keyPath := strings.TrimRight(u.EscapedPath(), "/")
	key := keyHost + keyPath
	if u.RawQuery != "" {
		key += "?" + u.RawQuery
	}
	out := u.String()
	if len(out) > MaxLength { // escaping can lengthen an address
		return Link{}, ErrNotWeb
	}
	return Link{URL: out, Key: key}, nil
}

// LooksLikeLink reports whether a word was meant as an address — it has a
// scheme ("javascript:", "ftp://") or starts with "www." — so that a bad link
// is refused rather than filed as part of the description.
func LooksLikeLink(word string) bool {
	w := strings.ToLower(strings.TrimPrefix(word, "<"))
	if strings.HasPrefix(w, "www.") || strings.Contains(w, "://") {
		return true
	}
	for _, scheme := range []string{"javascript:", "data:", "vbscript:", "file:", "mailto:", "http:", "https:"} {
		if strings.HasPrefix(w, scheme) {
			return true
		}
	}
	return false
}
