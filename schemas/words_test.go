package schemas

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// problemLines validates src against schema and returns its problems as
// "line:col path: message".
func problemLines(t *testing.T, schema, src string) string {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	ps, err := Validate(schema, &doc)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range ps {
		got = append(got, fmt.Sprintf("%d:%d %s: %s", p.Line, p.Col, p.Path, p.Message))
	}
	return strings.Join(got, "\n")
}

// TestAlternatives: a value that several forms may take gets the problems
// of the form its type is, or one problem naming every form; never two
// that contradict each other.
func TestAlternatives(t *testing.T) {
	const flow = "version: 1\nname: x\nflows:\n  m:\n    start: a\n    blocks:\n      - id: a\n        type: say\n"
	const test = "flow: x.flow.yaml\nsteps:\n  - "
	tests := []struct {
		name, schema, src, want string
	}{
		{"empty text list", FlowShape, flow + "        text: []\n", `9:15 flows.m.blocks[0].text: must not be empty`},
		{"text of another type", FlowShape, flow + "        text: 5\n", `9:15 flows.m.blocks[0].text: got number, want string or array`},
		{"text list item", FlowShape, flow + "        text: [hi, 7]\n", `9:20 flows.m.blocks[0].text[1]: got number, want string`},
		{"reprompt mapping", FlowShape, flow + "        reprompt: {a: 1}\n", `9:19 flows.m.blocks[0].reprompt: got object, want string or array`},
		{"agent word", "test", test + "agent: dance\n",
			`3:12 steps[0].agent: got "dance", want one of "join", "close", "timeout" or a mapping such as {say: ...}`},
		{"agent list", "test", test + "agent: [join]\n",
			`3:12 steps[0].agent: got a list, want one of "join", "close", "timeout" or a mapping such as {say: ...}`},
		{"agent mapping of two", "test", test + "agent: {say: hi, transfer: q}\n",
			`3:12 steps[0].agent: got 2 fields, want one of say, transfer or transferToAgent`},
		{"agent mapping", "test", test + "agent: {say: [hi]}\n",
			`3:18 steps[0].agent.say: got array, want boolean, number or string`},
		{"handover mapping", "test", test + "handover: {queue: X, failed: maybe}\n",
			`3:34 steps[0].handover.failed: got string, want boolean`},
		{"handover mapping without queue", "test", test + "handover: {failed: true}\n",
			`3:15 steps[0].handover: missing required field "queue"`},
		{"empty handover", "test", test + "handover: \"\"\n", `3:15 steps[0].handover: must not be empty`},
		{"handover number", "test", test + "handover: 5\n",
			`3:15 steps[0].handover: got number, want string or a mapping such as {queue: ...}`},
		{"bot list", "test", test + "bot: [x]\n",
			`3:10 steps[0].bot: got array, want boolean, number, string or a mapping such as {contains: ...}`},
		{"bot mapping", "test", test + "bot: {text: hi, quickReplies: [[a]]}\n",
			`3:36 steps[0].bot.quickReplies[0]: got array, want boolean, number or string`},
		{"error mapping", "test", test + "error: {contains: a, matches: b}\n",
			`3:12 steps[0].error: got 2 fields, want one of contains or matches`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := problemLines(t, tt.schema, tt.src); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestMissingFields: the fields a mapping lacks are listed as a sentence
// lists them.
func TestMissingFields(t *testing.T) {
	tests := []struct{ schema, src, want string }{
		{FlowShape, "version: 1\nname: x\n", `1:1 : missing required field "flows"`},
		{FlowShape, "name: x\n", `1:1 : missing required fields "version" and "flows"`},
		{FlowShape, "other: x\n", `1:1 : missing required fields "version", "name" and "flows"` + "\n" + `1:1 other: unknown field "other"`},
	}
	for _, tt := range tests {
		if got := problemLines(t, tt.schema, tt.src); got != tt.want {
			t.Errorf("%q: got\n%s\nwant\n%s", tt.src, got, tt.want)
		}
	}
}

// TestMergedProblems: a problem in what a merge key brings is reported at
// the node where it is written (in the anchored mapping), under the path
// of the mapping that merges it.
func TestMergedProblems(t *testing.T) {
	const src = "version: 1\nname: x\nflows:\n  m:\n    start: a\n    blocks:\n" +
		"      - &say {id: a, type: say, text: [hi, 7]}\n" +
		"      - {<<: *say, id: b, sya: hi}\n"
	want := "7:44 flows.m.blocks[0].text[1]: got number, want string\n" +
		"7:44 flows.m.blocks[1].text[1]: got number, want string\n" +
		`8:27 flows.m.blocks[1].sya: unknown field "sya"`
	if got := problemLines(t, FlowShape, src); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestOwnWords: the keywords whose failures have words of their own.
func TestOwnWords(t *testing.T) {
	tests := []struct{ schema, src, want string }{
		{"config", "version: 2\n", `1:10 version: value must be 1`},
		{"config", "version: 1\nenable: [a, b, a]\n", `2:9 enable: items 0 and 2 are the same; list each once`},
	}
	for _, tt := range tests {
		if got := problemLines(t, tt.schema, tt.src); got != tt.want {
			t.Errorf("%q: got\n%s\nwant\n%s", tt.src, got, tt.want)
		}
	}
}

// TestRareWords: the words of failures flowctl's own schemas do not
// produce today (a count other than one, two alternatives that both
// hold, the false schema), checked against a schema of the test's own.
func TestRareWords(t *testing.T) {
	const schemaSrc = `{
		"type": "object",
		"properties": {
			"name": {"type": "string", "minLength": 3},
			"tags": {"type": "array", "minItems": 2},
			"few": {"type": "object", "minProperties": 2},
			"many": {"type": "object", "maxProperties": 2},
			"either": {"oneOf": [{"type": "string"}, {"type": "string", "minLength": 1}]},
			"never": false
		}
	}`
	var raw any
	d := json.NewDecoder(strings.NewReader(schemaSrc))
	d.UseNumber()
	if err := d.Decode(&raw); err != nil {
		t.Fatal(err)
	}
	sch, err := (&schemaCompiler{root: raw, done: map[string]*schema{}}).compile(raw, "#")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ src, want string }{
		{"name: ab\n", `1:7 name: got 2 characters, want at least 3`},
		{"tags: [a]\n", `1:7 tags: got 1 item, want at least 2`},
		{"few: {a: 1}\n", `1:6 few: got 1 field, want at least 2`},
		{"many: {a: 1, b: 2, c: 3}\n", `1:7 many: got 3 fields, want at most 2`},
		{"either: x\n", `1:9 either: fits more than one of the forms allowed here (0 and 1)`},
		{"never: 1\n", `1:8 never: no value is allowed here`},
	}
	for _, tt := range tests {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(tt.src), &doc); err != nil {
			t.Fatal(err)
		}
		c := checker{explain: true}
		e := c.check(sch, doc.Content[0])
		if e == nil {
			t.Errorf("%q: valid", tt.src)
			continue
		}
		var got []string
		for _, p := range word(e) {
			got = append(got, fmt.Sprintf("%d:%d %s: %s", p.Line, p.Col, p.Path, p.Message))
		}
		if g := strings.Join(got, "\n"); g != tt.want {
			t.Errorf("%q: got\n%s\nwant\n%s", tt.src, g, tt.want)
		}
	}
}
