package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/reportbot/reportbot/cases"
	"github.com/reportbot/reportbot/directory"
	"github.com/reportbot/reportbot/fault"
	"github.com/reportbot/reportbot/policy"
	"github.com/reportbot/reportbot/routing"
)

// loadRoutingRules reads ROUTING_FILE; the built-in defaults when path is
// empty. Errors name the setting, the file, the line and the field.
func loadRoutingRules(path string) (*routing.Rules, error) {
	if path == "" {
		return routing.DefaultRules(), nil
	}
	r, err := routing.Load(path)
	if err != nil {
		return nil, fmt.Errorf("ROUTING_FILE: %w", err)
	}
	return r, nil
}

// checkRoutingRecipients refuses extra recipients that could never be
// reached: an e-mail not (or no longer) in the directory, or a channel of a
// platform that is not enabled (platforms nil: any platform, as in the
// console, which prints every message).
func checkRoutingRecipients(ctx context.Context, people directory.Store, rules *routing.Rules, path string, platforms []string) error {
	for _, r := range rules.AllRecipients() {
		if r.Channel != "" {
			platform, _, _ := strings.Cut(r.Channel, ":")
			if platforms != nil && !slices.Contains(platforms, platform) {
				return fmt.Errorf("ROUTING_FILE: routing rules %s: notify %s names %s, which is not enabled", path, r.Channel, platformTitle(platform))
			}
			continue
		}
		p, err := people.PersonByEmail(ctx, r.Email)
		if fault.Is(err, fault.PersonNotFound) || (err == nil && !p.Active) {
			return fmt.Errorf("ROUTING_FILE: routing rules %s: notify %s is not in the directory", path, r.Email)
		}
		if err != nil {
			return fmt.Errorf("ROUTING_FILE: %w", err)
		}
	}
	return nil
}

// useRoutingRules gives the service the rules and the rulebook's severities.
func useRoutingRules(svc *cases.Service, rules *routing.Rules, classifier *policy.Classifier) {
	svc.UseRules(rules)
	if classifier != nil {
		svc.UseSeverities(func(id string) string {
			c, ok := classifier.Category(id)
			if !ok {
				return ""
			}
			return string(c.Severity)
		})
	}
}
