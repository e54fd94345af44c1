package schemas

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestEverySchemaCompiles(t *testing.T) {
	names := append(Names(), FlowShape)
	if !slices.Contains(names, "flow") {
		t.Fatalf("flow schema not embedded: %v", names)
	}
	for _, n := range names {
		if _, err := compiled(n); err != nil {
			t.Errorf("%s: %v", n, err)
		}
	}
	if _, err := Source("nope"); err == nil || !strings.Contains(err.Error(), "have config, flow, org, test") {
		t.Errorf("unknown schema: got %v", err)
	}
}

func TestFlowBlockFields(t *testing.T) {
	f := FlowBlockFields()
	if !slices.Contains(f["redirect"], "queue") || slices.Contains(f["say"], "queue") {
		t.Errorf("redirect fields %v, say fields %v", f["redirect"], f["say"])
	}
	for _, typ := range []string{"say", "ask", "set", "redirect", "transfer", "end"} {
		if !slices.Contains(f[typ], "id") || !slices.Contains(f[typ], "commands") {
			t.Errorf("%s lacks the common fields: %v", typ, f[typ])
		}
	}
}

// TestFullSchemaRejectsFieldOfOtherType: editors get the per-type field
// lists that the loader checks itself (the flow schema and its shape agree).
func TestFullSchemaRejectsFieldOfOtherType(t *testing.T) {
	src := "version: 1\nname: x\nflows:\n  main:\n    start: a\n    blocks:\n      - id: a\n        type: say\n        queue: Support\n"
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	full, err := Validate("flow", &doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(full) != 1 || full[0].Key != "queue" || full[0].Line != 9 || full[0].Col != 9 {
		t.Errorf("full schema: %+v", full)
	}
	shape, err := Validate(FlowShape, &doc)
	if err != nil || len(shape) != 0 {
		t.Errorf("shape schema: %+v, %v", shape, err)
	}
}

func TestValidatePositions(t *testing.T) {
	src := "version: 1\nname: x\nflows:\n  main:\n    start: a\n    blocks:\n      - id: a\n        type: say\n        input: maybe\n        bogus: 1\n"
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	ps, err := Validate(FlowShape, &doc)
	if err != nil {
		t.Fatal(err)
	}
	want := []Problem{
		{Line: 9, Col: 16, Path: "flows.main.blocks[0].input", Message: "got string, want boolean", Value: "maybe"},
		{Line: 10, Col: 9, Path: "flows.main.blocks[0].bogus", Message: `unknown field "bogus"`, Key: "bogus", Value: "bogus"},
	}
	if !slices.Equal(ps, want) {
		t.Errorf("got  %+v\nwant %+v", ps, want)
	}
}

func TestToJSONLimits(t *testing.T) {
	var doc yaml.Node
	deep := strings.Repeat("[", MaxDepth+5) + strings.Repeat("]", MaxDepth+5)
	if err := yaml.Unmarshal([]byte(deep), &doc); err != nil {
		t.Fatal(err)
	}
	_, err := ToJSON(&doc)
	var tc *TooComplexError
	if err == nil || !strings.Contains(err.Error(), "nested deeper than") {
		t.Fatalf("want a depth error, got %v", err)
	} else if !asTooComplex(err, &tc) || tc.Line != 1 {
		t.Fatalf("want a positioned TooComplexError, got %#v", err)
	}
}

func asTooComplex(err error, tc **TooComplexError) bool {
	e, ok := err.(*TooComplexError)
	*tc = e
	return ok
}

// TestValidateMaxProblems: a document with thousands of problems gets the
// first MaxProblems by position, the same every time, and a count of the
// rest.
func TestValidateMaxProblems(t *testing.T) {
	var src strings.Builder
	src.WriteString("version: 1\nname: many\nflows: {}\nintents:\n")
	for i := range 3000 {
		fmt.Fprintf(&src, "  i%d: v\n", i)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src.String()), &doc); err != nil {
		t.Fatal(err)
	}
	ps, err := Validate(FlowShape, &doc)
	if err != nil || len(ps) != MaxProblems+1 {
		t.Fatalf("%d problems, %v", len(ps), err)
	}
	last := ps[len(ps)-1]
	// 3,001 problems: flows is empty (line 3), and each intent is no
	// mapping (lines 5 on). The first 1,000 reach line 1003.
	if want := "2001 more problems from here on are not shown (at most 1000 are)"; last.Kind != "more" || last.Message != want || last.Line != 1004 || last.Col != 9 {
		t.Errorf("last: %+v, want %q at 1004:9", last, want)
	}
	for i := 1; i < len(ps)-1; i++ {
		if ps[i].Line < ps[i-1].Line {
			t.Fatalf("not in position order at %d", i)
		}
	}
	again, _ := Validate(FlowShape, &doc)
	if !slices.Equal(ps, again) {
		t.Error("two runs differ")
	}
}
