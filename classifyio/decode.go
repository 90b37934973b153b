package classifyio

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// request is one valid input line.
type request struct {
	id   []byte // the raw JSON value to echo; nil answers null
	text string
}

// decode parses one input line. When the line cannot be classified it
// returns a problem: one sentence for the error answer, with the id still
// set when it could be read.
//
// The line is checked with json.Valid and then walked by a small scanner
// that relies on that validity. Unlike json.Unmarshal into a struct, the
// scanner matches field names exactly ("Text" is not "text"), sees duplicate
// fields, keeps the id's bytes as written, and allocates only the text.
func decode(line []byte, maxText int) (req request, problem string) {
	if !json.Valid(line) {
		return req, syntaxProblem(line)
	}
	f, problem := topFields(line)
	if problem != "" {
		return req, problem
	}
	switch {
	case f.dup == "id": // which one to echo would be a guess
		return req, "id appears more than once"
	case f.id == nil:
	case !utf8.Valid(f.id):
		return req, "id is not valid UTF-8"
	default:
		req.id = echoID(f.id)
	}
	switch {
	case f.dup != "":
		return req, fmt.Sprintf("%s appears more than once", f.dup)
	case f.text == nil:
		return req, "text is missing"
	case f.text[0] != '"':
		return req, "text must be a string, not " + kindOf(f.text)
	case f.url != nil && f.url[0] != '"' && f.url[0] != 'n':
		return req, "url must be a string, not " + kindOf(f.url)
	case !utf8.Valid(f.text):
		return req, "text is not valid UTF-8"
	}
	text, err := decodeString(f.text)
	if err != nil { // unreachable after json.Valid; kept so a scanner bug cannot go unseen
		return req, "text is not a valid JSON string"
	}
	if len(text) > maxText {
		return req, fmt.Sprintf("text is %d bytes; the limit is %d bytes", len(text), maxText)
	}
	req.text = text
	return req, ""
}

// syntaxProblem describes why a line is not JSON.
func syntaxProblem(line []byte) string {
	var raw json.RawMessage
	var se *json.SyntaxError
	if err := json.Unmarshal(line, &raw); errors.As(err, &se) {
		return fmt.Sprintf("line is not valid JSON at byte %d: %s", se.Offset, se)
	}
	return "line is not valid JSON"
}

// fields are the raw values of the top-level fields the protocol reads.
type fields struct {
	id, text, url []byte
	dup           string // a field that appeared twice
}

// topFields picks the fields of a valid JSON object out of line.
func topFields(line []byte) (f fields, problem string) {
	i := skipSpace(line, 0)
	if line[i] != '{' {
		return f, "line is " + jsonKind(line[i:]) + ", not an object"
	}
	i = skipSpace(line, i+1)
	for line[i] != '}' {
		kEnd := stringEnd(line, i)
		key := line[i:kEnd]
		i = skipSpace(line, skipSpace(line, kEnd)+1) // past the ':'
		vEnd := valueEnd(line, i)
		val := line[i:vEnd]
		var slot *[]byte
		switch fieldOf(key) {
		case "id":
			slot = &f.id
		case "text":
			slot = &f.text
		case "url":
			slot = &f.url
		}
		if slot != nil {
			if *slot != nil && f.dup == "" {
				f.dup = fieldOf(key)
			}
			*slot = val
		}
		i = skipSpace(line, vEnd)
		if line[i] == ',' {
			i = skipSpace(line, i+1)
		}
	}
	return f, ""
}

// fieldOf returns the name of a raw object key when it is one the protocol
// reads, else "". Keys without escapes are compared without allocating.
func fieldOf(raw []byte) string {
	name := raw[1 : len(raw)-1]
	if bytes.IndexByte(name, '\\') >= 0 {
		s, _ := decodeString(raw)
		name = []byte(s)
	}
	switch string(name) {
	case "id":
		return "id"
	case "text":
		return "text"
	case "url":
		return "url"
	}
	return ""
}

// decodeString decodes a raw JSON string.
func decodeString(raw []byte) (string, error) {
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1]), nil
	}
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err
}

// echoID returns the id to write back: as written, except that an object or
// array id is compacted so that it holds no stray whitespace.
func echoID(raw []byte) []byte {
	switch raw[0] {
	case 'n':
		return nil
	case '{', '[':
		var b bytes.Buffer
		if json.Compact(&b, raw) == nil {
			return b.Bytes()
		}
	}
	return raw
}

// kindOf names the JSON type of a raw value.
func kindOf(raw []byte) string {
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// jsonKind names the type of a top-level value that is not an object.
func jsonKind(raw []byte) string {
	if raw[0] == 'n' {
		return "JSON null"
	}
	return "a JSON " + strings.TrimPrefix(strings.TrimPrefix(kindOf(raw), "an "), "a ")
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// stringEnd returns the index just past the string starting at b[i].
func stringEnd(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(b)
}

// valueEnd returns the index just past the value starting at b[i].
func valueEnd(b []byte, i int) int {
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				j = stringEnd(b, j) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return len(b)
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\t' && b[j] != '\r' && b[j] != '\n' {
		j++
	}
	return j
}
