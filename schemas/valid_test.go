package schemas

import (
	"os"
	"path/filepath"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestValidDocumentCostsNothing: checking a valid document allocates
// nothing; an invalid one gets its problems.
func TestValidDocumentCostsNothing(t *testing.T) {
	files := map[string]string{
		"acme.flow.yaml": FlowShape, "acme.org.yaml": "org", "billing-intent.test.yaml": "test",
	}
	for file, schema := range files {
		src, err := os.ReadFile(filepath.Join("..", "testdata", "examples", file))
		if err != nil {
			t.Fatal(err)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(src, &doc); err != nil {
			t.Fatal(err)
		}
		if ps, err := ValidateDoc(schema, &doc, false); len(ps) > 0 || err != nil {
			t.Fatalf("%s: %+v, %v", file, ps, err)
		}
		if n := testing.AllocsPerRun(20, func() { _, _ = ValidateDoc(schema, &doc, false) }); n != 0 && !raceEnabled {
			t.Errorf("%s: %v allocations per check of a valid document", file, n)
		}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte("name: x\n"), &doc); err != nil {
		t.Fatal(err)
	}
	if ps, err := Validate("flow", &doc); len(ps) == 0 || err != nil {
		t.Fatalf("invalid document: %+v, %v", ps, err)
	}
}
