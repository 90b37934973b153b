// Package directory holds the people the bot knows — who they are, whom they
// report to, their unit, their roles and their chat accounts — read from the
// agency's directory CSV (INTERFACES.md, "Directory CSV") and kept in the
// store. Routing walks the supervisor chain it describes.
package directory
