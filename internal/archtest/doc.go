// Package archtest holds a test that keeps the dependency rule of
// DESIGN.md: chat knows nothing of cases; cases, routing, directory and
// policy know nothing of chat platforms, commands or SQL; only cmd/bot wires
// everything together.
package archtest
