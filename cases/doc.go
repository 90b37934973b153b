// Package cases is the product's spine: a report becomes a Case that is
// routed to a person, moves through its states by the actions of people who
// may take them, and keeps an append-only history of who did what and when.
// Every change and the messages it owes are written in one transaction
// (the outbox), so nothing is lost when a chat platform is down.
//
// The package knows nothing of Slack or Mattermost, and nothing of SQL: the
// Store interface is implemented in store/sqlstore.
package cases
