package flow

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// otherKinds are the other YAML files of a flowctl project, known by their
// top-level fields, with what to do with them instead.
var otherKinds = []struct {
	what    string   // "a conversation test file"
	keys    []string // top-level fields, at least two of which mark the kind
	instead string
}{
	{what: "a conversation test file", keys: []string{"flow", "steps", "org", "client", "name"},
		instead: "run it with flowctl test %s"},
	{what: "an org file", keys: []string{"organization", "divisions", "queues", "roles", "oauthClients", "integrations", "agents"},
		instead: "check flows' queues against it with flowctl validate --org %s FLOWS (which checks the org file too)"},
}

// otherKind describes file when it is not a flow file but another kind of
// flowctl file (no version or flows, two fields of the other kind), or
// returns "".
func otherKind(file string, root *yaml.Node) string {
	var keys []string
	each(root, func(k, _ *yaml.Node) { keys = append(keys, k.Value) })
	if slices.Contains(keys, "version") || slices.Contains(keys, "flows") {
		return ""
	}
	for _, o := range otherKinds {
		var has []string
		for _, k := range keys {
			if slices.Contains(o.keys, k) && k != "name" {
				has = append(has, k)
			}
		}
		if len(has) >= 2 {
			return fmt.Sprintf("this is %s (it has %s), not a flow file: "+o.instead, o.what, strings.Join(has[:2], " and "), file)
		}
	}
	return ""
}
