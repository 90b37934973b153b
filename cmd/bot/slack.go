package main

import (
	"context"

	slackapi "github.com/slack-go/slack"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/chat/slack"
	"github.com/reportbot/reportbot/delivery"
	"github.com/reportbot/reportbot/server"
)

// newSlack builds the Slack adapter from the serve configuration: its
// endpoints (none in Socket Mode), its sender, and its Run, which serves
// Socket Mode and lets follow-ups finish at shutdown.
func newSlack(_ context.Context, deps platformDeps) (server.Platform, delivery.Sender, error) {
	cfg := deps.Config.Slack
	opts := []slackapi.Option{}
	if cfg.APIURL != "" {
		opts = append(opts, slackapi.OptionAPIURL(cfg.APIURL))
	}
	if cfg.SocketMode() {
		opts = append(opts, slackapi.OptionAppLevelToken(string(cfg.AppToken)))
	}
	refs, _ := deps.Store.(cases.MessageRefs) // the SQL store keeps them
	a, err := slack.New(slack.Config{
		SigningSecret: string(cfg.SigningSecret),
		SocketMode:    cfg.SocketMode(),
		Client:        slackapi.New(string(cfg.BotToken), opts...),
		Handler:       deps.Handler,
		People:        deps.People,
		Cases:         deps.Store,
		Refs:          refs,
		Now:           deps.Now,
		Log:           deps.Log,
	})
	if err != nil {
		return nil, nil, err
	}
	return a, a, nil
}
