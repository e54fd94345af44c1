package simulate

import (
	"maps"
	"slices"
	"testing"

	"github.com/flowctl/flowctl/flow"
)

// digestOf hashes memory and attributes from scratch.
func digestOf(m *machine) (mem, attrs digest) {
	t := newTracker()
	for k, v := range m.memory {
		mem = mem.plus(t.entry(-1, k, v))
	}
	for i, a := range m.attrs {
		attrs = attrs.plus(t.entry(i, a.Key, a.Value))
	}
	return mem, attrs
}

func TestTrackerRestores(t *testing.T) {
	m := newMachine(&flow.Project{}, nil, nil, flow.SessionInfo{})
	m.track = newTracker()
	m.setMemory("a", "x")
	m.setMemory("n", 1.5)
	m.setAttr("k", "v")
	wantMem, wantAttrs := maps.Clone(m.memory), slices.Clone(m.attrs)
	wantMD, wantAD := m.memDigest, m.attrDigest

	sp := m.save()
	logged := len(m.track.log)
	m.setMemory("a", "y")
	m.deleteMemory("n")
	m.setMemory("list", []any{1, "two", map[string]any{"z": nil, "b": true}})
	m.setAttr("k", "w")
	m.setAttr("k2", "v2")
	if md, ad := digestOf(m); md != m.memDigest || ad != m.attrDigest {
		t.Errorf("incremental digests differ from digests computed afresh")
	}
	m.replaceMemory(map[string]any{"a": "kept"})
	m.setMemory("b", 2)
	if md, _ := digestOf(m); md != m.memDigest {
		t.Errorf("digest after replace differs")
	}
	m.restore(sp)

	if !maps.Equal(m.memory, wantMem) || !slices.Equal(m.attrs, wantAttrs) {
		t.Errorf("restored memory %v attrs %v, want %v %v", m.memory, m.attrs, wantMem, wantAttrs)
	}
	if m.memDigest != wantMD || m.attrDigest != wantAD {
		t.Errorf("restored digests differ")
	}
	if len(m.track.log) != logged {
		t.Errorf("log has %d entries after restore, want %d", len(m.track.log), logged)
	}
}

func TestDigestTellsValuesApart(t *testing.T) {
	tr := newTracker()
	values := []any{nil, true, false, "", "1", 1, 1.0, int64(1), []any{}, []any{"a"}, []any{[]any{"a"}}, map[string]any{}, map[string]any{"a": 1}, map[string]any{"a": "1"}}
	seen := map[digest]int{}
	for i, v := range values {
		d := tr.entry(-1, "k", v)
		if j, dup := seen[d]; dup {
			t.Errorf("values %#v and %#v hash alike", values[j], v)
		}
		seen[d] = i
	}
	if tr.entry(-1, "k", "v") == tr.entry(0, "k", "v") || tr.entry(0, "k", "v") == tr.entry(1, "k", "v") {
		t.Errorf("position does not count")
	}
	if tr.entry(-1, "ab", "c") == tr.entry(-1, "a", "bc") {
		t.Errorf("key and value run together")
	}
}
