// Package commands is the /report command and the case buttons, the same on
// every platform: it reads what a person typed or pressed, asks the case
// service to act, and answers in plain text (chat.Reply). Adapters resolve
// who the person is and render the reply in their markup.
package commands
