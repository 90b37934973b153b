package main

import (
	"context"
	"net/http"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/chat/mattermost"
	"github.com/reportbot/reportbot/delivery"
	"github.com/reportbot/reportbot/server"
)

// mattermostHTTPTimeout bounds one REST call to the Mattermost server; the
// adapter bounds the calls made before answering more tightly.
const mattermostHTTPTimeout = 30 * time.Second

// newMattermost builds the Mattermost adapter from the serve configuration:
// its endpoints (slash command, buttons, dialogs), its sender, and its Run,
// which lets follow-ups finish at shutdown.
func newMattermost(_ context.Context, deps platformDeps) (server.Platform, delivery.Sender, error) {
	cfg := deps.Config.Mattermost
	client := model.NewAPIv4Client(cfg.URL)
	client.SetToken(string(cfg.BotToken))
	client.HTTPClient = &http.Client{Timeout: mattermostHTTPTimeout}
	tokens := make([]string, len(cfg.CommandTokens))
	for i, t := range cfg.CommandTokens {
		tokens[i] = string(t)
	}
	refs, _ := deps.Store.(cases.MessageRefs) // the SQL store keeps them
	a, err := mattermost.New(mattermost.Config{
		Client:        client,
		CommandTokens: tokens,
		PublicURL:     cfg.PublicURL,
		ActionSecret:  string(cfg.ActionSecret),
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
