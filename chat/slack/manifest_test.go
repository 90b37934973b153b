package slack

import (
	"net/url"
	"os"
	"testing"

	"gopkg.in/yaml.v3"
)

// manifestDir holds the app manifests administrators install from.
const manifestDir = "../../deploy/slack/"

// TestManifestMatchesTheAdapter: the URLs, the shortcut's callback ID and
// the events in deploy/slack/manifest.yaml are the ones the adapter serves,
// and the Socket Mode manifest asks for the same features without URLs.
func TestManifestMatchesTheAdapter(t *testing.T) {
	m := readManifest(t, "manifest.yaml")
	w := newWorld(t)
	routes := w.a.Routes()
	path := func(u string) string {
		p, err := url.Parse(u)
		if err != nil {
			t.Fatal(err)
		}
		return "POST " + p.Path
	}
	checkFeatures(t, m)
	f := m.Features
	for _, u := range []string{f.SlashCommands[0].URL, m.Settings.Interactivity.URL, m.Settings.Events.URL} {
		if routes[path(u)] == nil {
			t.Errorf("%s is not served", u)
		}
	}
	if m.Settings.SocketMode {
		t.Error("the HTTP manifest enables Socket Mode")
	}
	sm := readManifest(t, "manifest-socket-mode.yaml")
	checkFeatures(t, sm)
	if !sm.Settings.SocketMode || sm.Features.SlashCommands[0].URL != "" || sm.Settings.Interactivity.URL != "" || sm.Settings.Events.URL != "" {
		t.Errorf("the Socket Mode manifest must enable it and name no URLs: %+v", sm.Settings)
	}
}

func checkFeatures(t *testing.T, m manifest) {
	t.Helper()
	f := m.Features
	if len(f.SlashCommands) != 1 || f.SlashCommands[0].Command != "/report" || !f.SlashCommands[0].Escape {
		t.Fatalf("slash commands %+v", f.SlashCommands)
	}
	if len(f.Shortcuts) != 1 || f.Shortcuts[0].Type != "message" || f.Shortcuts[0].CallbackID != ReportMessageCallback {
		t.Errorf("shortcuts %+v", f.Shortcuts)
	}
	if !f.AppHome.HomeTab || len(m.Settings.Events.Events) != 1 || m.Settings.Events.Events[0] != "app_home_opened" {
		t.Errorf("app home %+v events %v", f.AppHome, m.Settings.Events.Events)
	}
	for _, scope := range []string{"commands", "chat:write", "im:write", "users:read", "users:read.email"} {
		found := false
		for _, s := range m.OAuth.Scopes.Bot {
			found = found || s == scope
		}
		if !found {
			t.Errorf("scope %s missing", scope)
		}
	}
}

func readManifest(t *testing.T, name string) manifest {
	t.Helper()
	b, err := os.ReadFile(manifestDir + name)
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := yaml.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

type manifest struct {
	Features struct {
		AppHome struct {
			HomeTab bool `yaml:"home_tab_enabled"`
		} `yaml:"app_home"`
		SlashCommands []struct {
			Command, URL string
			Escape       bool `yaml:"should_escape"`
		} `yaml:"slash_commands"`
		Shortcuts []struct {
			Type       string
			CallbackID string `yaml:"callback_id"`
		}
	}
	Settings struct {
		Events struct {
			URL    string   `yaml:"request_url"`
			Events []string `yaml:"bot_events"`
		} `yaml:"event_subscriptions"`
		Interactivity struct {
			URL string `yaml:"request_url"`
		}
		SocketMode bool `yaml:"socket_mode_enabled"`
	}
	OAuth struct {
		Scopes struct {
			Bot []string
		}
	} `yaml:"oauth_config"`
}
