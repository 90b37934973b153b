// Package e2e holds the end-to-end test against a real Mattermost server:
// a server built from the Go module proxy (scripts/mattermost/build.sh),
// the bot built from ./cmd/bot, both on loopback with their own PostgreSQL
// databases, and a report filed, acknowledged and resolved through
// Mattermost's own REST API exactly as its clients would.
//
// Everything goes through Mattermost as its clients use it: the slash
// command through POST /api/v4/commands/execute, buttons through
// POST /api/v4/posts/{id}/actions/{action}, and the dialog the Resolve
// button opens is taken from the open_dialog event on Ben's websocket (as
// the web app receives it) and submitted through
// POST /api/v4/actions/dialogs/submit; the test never calls the bot's
// /mattermost/* endpoints itself.
//
// The test carries the build tag e2e, so `go test ./...` does not run it:
//
//	make e2e-mattermost
//
// builds (or reuses) the server and runs
// `go test -tags e2e -count=1 -v ./internal/e2e/mattermost/`.
//
// Settings (environment):
//
//	E2E_PG_URL            a PostgreSQL URL whose role may create databases
//	                      (default: TEST_DATABASE_URL, else
//	                      postgres://reportbot:reportbot@127.0.0.1:5432/postgres?sslmode=disable)
//	MATTERMOST_CACHE_DIR  where build.sh left the server (default .cache/mattermost)
//	E2E_TIMEOUT           the whole test's deadline (default 5m)
//	E2E_BOT_BIN           a bot binary to test instead of building ./cmd/bot
package e2e
