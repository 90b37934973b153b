// Package policy holds IHSC Directive 01-22's prohibitions as data (the
// rulebook) and the classifier that sorts a report against them, explaining
// each judgement with the words that led to it.
//
// The rulebook names concepts (sets of words and phrases) and, for each
// category, rules that fire when concepts occur near one another. A text is
// tokenised once by textnorm, which sees through disguised spellings; every
// concept occurrence keeps the rune span of the words that made it, so the
// classifier can show its evidence.
package policy
