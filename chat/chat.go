package chat

// Reply is what a person sees in answer to a command or a button.
type Reply struct {
	// Text is plain text; adapters escape it for their markup.
	Text string
	// Form, when set, asks the adapter to open a form instead of (or as
	// well as) answering.
	Form *Form
	// File, when set, is attached to the reply (the CSV export).
	File *File
}

// Form is a form to fill in: the report form, the resolve form, the
// reassign form.
type Form struct {
	// ID says which form it is ("report", "resolve", "reassign").
	ID    string
	Title string
	// State travels with the form and comes back on submission (a case
	// reference); adapters protect it against tampering.
	State  string
	Fields []Field
	Submit string
}

// Field is one input of a form.
type Field struct {
	Name     string
	Label    string
	Hint     string
	Value    string // pre-filled
	Optional bool
	// Multiline fields take paragraphs; Options make a choice list.
	Multiline bool
	Options   []Option
	// Person fields pick a user of the platform.
	Person bool
}

// Option is a choice of a choice field.
type Option struct{ Value, Label string }

// File is an attachment.
type File struct {
	Name, Type string
	Data       []byte
}

// Card is a case as the person who must act on it sees it: adapters render
// it as Block Kit, a Mattermost attachment or console text, and update it in
// place as the case changes.
type Card struct {
	Title  string
	Fields []CardField
	// Quote is the reporter's words; adapters escape it so that it can
	// never mention or ping anyone.
	Quote   string
	Buttons []Button
	Footer  string
}

// CardField is one labelled fact of a card.
type CardField struct{ Label, Value string }

// Button is an action a person may press; ID is the action's name.
type Button struct{ ID, Label string }
