// Package mattermost is the Mattermost adapter: it checks the slash
// command's token in constant time, turns slash commands, button clicks and
// interactive dialog submissions into calls on the platform-neutral command
// handler, renders replies, case cards (message attachments with buttons)
// and forms (interactive dialogs), and delivers the bot's outbox messages
// through the Mattermost REST API (server/public model and Client4).
//
// # Trust
//
// Mattermost signs nothing it sends to an integration. The slash command
// carries a token (MATTERMOST_COMMAND_TOKENS) that is compared in constant
// time. Button clicks and dialog submissions carry no token at all, so the
// adapter signs what it hands out with BOT_ACTION_SECRET (HMAC-SHA256):
//
//   - A button's context holds the case reference, the action and the
//     directory ID of the person the card was sent to, all as strings, and a
//     signature over the three. The post ID cannot be bound, because the
//     context is written before Mattermost assigns it. A click is served only
//     when the signature holds and the clicking user is that person; the
//     command handler then checks, as on every platform, whether they may
//     act on the case. A forged or altered context is answered "This button
//     is not valid." and logged; nothing changes.
//   - A dialog's state (which reaches the person's browser) holds the case
//     reference, when it was issued, a random nonce and a signature over
//     those, the dialog's callback ID and the Mattermost user it was opened
//     for. A submission is served only for that user and dialog, within a
//     day, and once: the nonce is spent by a submission that gets through.
//
// # Mentions
//
// Everything a person typed (descriptions, reasons, names, links) is shown
// with a zero-width joiner (U+200D) after every "@" that could start a
// mention, after the "<" of Slack-style "<!channel>" and "<@id>", and
// between the "!" and "[" of a Markdown image, so that a report quoting
// "@channel" or "@someone" shows those words but notifies nobody and loads
// no picture. The joiner is invisible and splits the word both for the
// server's mention parser and for the clients. A reported link is the one
// exception: a joiner inside an address would break it, so the card shows
// the link as a code span and makes the card's title a link to it. Posts and
// answers that have the option are sent with SkipSlackParsing.
//
// # Answers
//
// The slash command is answered inline (an ephemeral CommandResponse, JSON),
// after at most a bounded user look-up; a click is answered with the card
// rebuilt from the case (never from a fetched post, whose buttons come back
// without their integration) and an ephemeral sentence. A dialog submission
// answers field errors inline; its outcome (the case reference, or a
// refusal) comes as a direct message from the bot, which stays in the
// person's history. Follow-ups run in the background and Run waits for
// them before it returns.
package mattermost
