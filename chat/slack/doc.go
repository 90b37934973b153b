// Package slack is the Slack adapter: it verifies every request Slack sends
// (v0 HMAC signature, five-minute window), turns slash commands, button
// clicks, modal submissions, the "Report message" shortcut and App Home
// events into calls on the platform-neutral command handler, renders replies,
// case cards and forms as Block Kit, and delivers the bot's outbox messages
// through the Slack Web API (slack-go).
//
// Everything a person typed is escaped before it reaches mrkdwn, so that a
// report quoting <!channel> or <@U…> can never ping anyone. Answers that
// Slack waits for (3 seconds) are written before any slow Web API call; the
// follow-ups (private replies, DMs, App Home) run in the background and
// Wait lets a server finish them before it stops.
package slack
