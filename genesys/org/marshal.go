package org

import (
	"bytes"
	"fmt"
	"slices"

	"gopkg.in/yaml.v3"
)

// Marshal writes an org file as YAML, one line per division, queue and
// grant. Secrets are dropped.
func Marshal(o *File, header string) ([]byte, error) {
	clean := *o
	clean.OAuthClients = slices.Clone(o.OAuthClients)
	for i := range clean.OAuthClients {
		clean.OAuthClients[i].Secret = ""
	}
	clean.Integrations = slices.Clone(o.Integrations)
	for i := range clean.Integrations {
		clean.Integrations[i].WebhookSecret = ""
	}
	var n yaml.Node
	if err := n.Encode(&clean); err != nil {
		return nil, err
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		switch n.Content[i].Value {
		case "organization":
			n.Content[i+1].Style = yaml.FlowStyle
		case "divisions", "queues", "integrations", "agents":
			for _, item := range n.Content[i+1].Content {
				item.Style = yaml.FlowStyle
			}
		case "oauthClients":
			for _, cl := range n.Content[i+1].Content {
				for j := 0; j+1 < len(cl.Content); j += 2 {
					if cl.Content[j].Value == "roleDivisions" {
						for _, rd := range cl.Content[j+1].Content {
							rd.Style = yaml.FlowStyle
						}
					}
				}
			}
		}
	}
	var b bytes.Buffer
	b.WriteString("# yaml-language-server: $schema=https://flowctl.dev/schemas/org.schema.json\n")
	if header != "" {
		for _, line := range bytes.Split([]byte(header), []byte("\n")) {
			fmt.Fprintf(&b, "# %s\n", line)
		}
	}
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&n); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
