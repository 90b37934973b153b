package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/reportbot/reportbot/policy"
)

// loadClassifier builds the classifier from the rulebook at path, or from the
// built-in rulebook when path is empty, with the built-in model either way.
// It also says where the rules came from, for logs and `bot version`.
func loadClassifier(path string) (*policy.Classifier, string, error) {
	model, err := policy.DefaultModel()
	if err != nil {
		return nil, "", fmt.Errorf("built-in model: %w", err)
	}
	if path == "" {
		rb, err := policy.DefaultRulebook()
		if err != nil {
			return nil, "", fmt.Errorf("built-in rulebook: %w", err)
		}
		c, err := policy.New(rb, policy.WithModel(model))
		if err != nil {
			return nil, "", fmt.Errorf("built-in rulebook: %w", err)
		}
		return c, "built in", nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is named once, below
		}
		return nil, "", fmt.Errorf("rulebook %s: %w", path, err)
	}
	rb, err := policy.ParseRulebook(data)
	if err != nil {
		return nil, "", fmt.Errorf("rulebook %s: %w", path, err)
	}
	c, err := policy.New(rb, policy.WithModel(model))
	if err != nil {
		return nil, "", fmt.Errorf("rulebook %s: %w", path, err)
	}
	return c, path, nil
}
