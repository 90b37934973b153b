package archtest

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/reportbot/reportbot/"

// forbidden maps a package directory to the module packages its non-test
// files must not import (a prefix forbids the subtree).
var forbidden = map[string][]string{
	"chat":      {"cases", "commands", "store", "policy", "routing", "directory", "cmd"},
	"cases":     {"chat", "commands", "store", "migrations", "cmd", "classifyio"},
	"routing":   {"chat", "commands", "store", "cases", "cmd"},
	"directory": {"chat", "commands", "store", "cases", "routing", "policy", "cmd"},
	"policy":    {"chat", "commands", "store", "cases", "routing", "directory", "cmd"},
	"fault":     {"chat", "commands", "store", "cases", "routing", "directory", "policy", "cmd"},
	"links":     {"chat", "commands", "store", "cases", "routing", "directory", "policy", "cmd"},
	"commands":  {"store", "migrations", "cmd"},
	"summary":   {"chat", "commands", "store", "cmd"},
	// The HTTP server knows no domain; the delivery worker knows the outbox
	// but no platform and no SQL.
	"server":   {"cases", "chat", "commands", "store", "policy", "routing", "directory", "delivery", "cmd"},
	"delivery": {"chat", "commands", "store", "server", "policy", "routing", "cmd"},
	// The retention worker knows only its Store interface: the SQL of
	// disposal lives in the store.
	"retention": {"cases", "chat", "commands", "store", "server", "policy", "routing", "directory", "delivery", "cmd"},
}

func TestDependencyRule(t *testing.T) {
	root := filepath.Join("..", "..")
	for dir, banned := range forbidden {
		imports := importsOf(t, filepath.Join(root, dir))
		for file, list := range imports {
			for _, imp := range list {
				rel, ok := strings.CutPrefix(imp, module)
				if !ok {
					continue
				}
				for _, b := range banned {
					if rel == b || strings.HasPrefix(rel, b+"/") {
						t.Errorf("%s imports %s: %s must not depend on %s", file, imp, dir, b)
					}
				}
			}
		}
	}
}

// importsOf lists the imports of every non-test Go file in dir, only the
// package itself (subdirectories are their own packages with their own
// rules, but chat/console is the one adapter allowed to wire commands).
func importsOf(t *testing.T, dir string) map[string][]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	fset := token.NewFileSet()
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		path := filepath.Join(dir, name)
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			out[path] = append(out[path], p)
		}
	}
	return out
}
