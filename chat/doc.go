// Package chat holds the platform-neutral shapes that pass between the
// command handler and the chat adapters (Slack, Mattermost, the console): a
// reply to a person, a form to open, a file to attach. It knows nothing of
// cases, and nothing of any one platform.
package chat
