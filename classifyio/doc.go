// Package classifyio is the JSON Lines protocol of `bot classify`: it reads
// one report a line, classifies each with a policy.Classifier and writes one
// answer a line, in input order.
//
// # Input
//
// Each line is a JSON object:
//
//	{"id": "r-1", "text": "she posted a picture of a detainee on instagram", "url": "https://…"}
//
// "id" may be any JSON value (usually a string or a number); it is echoed
// back as written, or as null when it is missing. "text" is required and must
// be a string of at most Options.MaxText bytes (64 KiB) once decoded; the
// empty string is valid. "url" is optional and, when present, must be a
// string or null; it does not change the classification yet. Other fields are
// ignored. A line may end in "\n" or "\r\n"; the last line needs no line
// ending. Lines that hold only spaces and tabs are skipped silently and get
// no answer. A UTF-8 byte order mark at the start of the input is ignored.
//
// # Output
//
// Each non-blank input line gets exactly one output line, in input order:
//
//	{"id":"r-1","categories":[{"id":"4-2.f","title":"…","citation":"…","severity":"high","score":0.91,
//	 "evidence":[{"start":12,"end":20,"text":"detainee"}]}],"pii":[],"rulebook":"2026-11-23.1"}
//
// "categories" and "pii" are always arrays, empty when nothing was found;
// "start" and "end" are rune offsets into the text. With Options.Explain each
// category also lists the "rules" that fired. A line that cannot be
// classified gets {"id":…,"error":"…"} with one plain sentence, and the run
// goes on. Lines longer than Options.MaxLine (1 MiB) are not kept in memory:
// the rest of such a line is skipped and it is answered with an error and a
// null id.
//
// # Throughput
//
// A reader groups lines into batches, workers classify batches in parallel
// and a writer puts the answers back in order. A fixed pool of batches bounds
// the memory in flight. Output is flushed whenever the writer has nothing
// more to write, so an interactive user gets each answer at once.
package classifyio
