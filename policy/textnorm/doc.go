// Package textnorm turns free text into normalised word tokens that keep their
// rune offsets into the original text, so that a classifier can match words
// whatever disguise they wear (look-alike letters, leetspeak, stretched,
// spaced or masked letters, invisible characters) and still point at the
// exact characters the person typed.
package textnorm
