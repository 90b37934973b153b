// Package console is the local chat behind `bot console`: it reads slash
// commands, button presses and clock ticks from a terminal or a script, runs
// them through the same command handler and case service as Slack and
// Mattermost, and prints every message with the person who would see it.
package console
