package directory

// ValidEmail lets the fuzz test check Parse's promise about e-mails.
var ValidEmail = validEmail
