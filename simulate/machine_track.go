package simulate

import (
	"encoding/binary"
	"fmt"
	"hash"
	"hash/fnv"
	"math"
	"reflect"
	"slices"
)

// Every write to a machine's memory and attributes goes through setMemory,
// deleteMemory, replaceMemory and setAttr. With a tracker (the explorer's
// machine) each write is logged so that restore can undo it, and digests
// of memory and of the attributes are kept up to date, so that a state is
// saved, identified and restored in time independent of how much memory
// it holds.

// digest is a 128-bit hash of memory or of the attributes. A set's digest
// is the sum of its entries' digests, so one entry is replaced in constant
// time.
type digest struct{ hi, lo uint64 }

func (d digest) plus(o digest) digest  { return digest{d.hi + o.hi, d.lo + o.lo} }
func (d digest) minus(o digest) digest { return digest{d.hi - o.hi, d.lo - o.lo} }

// tracker logs a machine's writes and hashes entries.
type tracker struct {
	log []change
	h   hash.Hash
	buf []byte
}

func newTracker() *tracker { return &tracker{h: fnv.New128a()} }

// change is one logged write: to memory (mem is the map written) or to
// attribute number attr.
type change struct {
	mem  map[string]any
	key  string
	old  any
	had  bool
	attr int
	prev string // the attribute's previous value
}

// savepoint is a machine's state at one moment, to restore later.
type savepoint struct {
	m   machine
	log int
}

// save records the machine's state; it needs a tracker.
func (m *machine) save() savepoint {
	return savepoint{m: *m, log: len(m.track.log)}
}

// restore undoes every write since sp and puts the machine back as it was.
func (m *machine) restore(sp savepoint) {
	t := m.track
	*m = sp.m
	for i := len(t.log) - 1; i >= sp.log; i-- {
		c := t.log[i]
		switch {
		case c.mem == nil:
			if c.attr < len(m.attrs) {
				m.attrs[c.attr].Value = c.prev
			}
		case c.had:
			c.mem[c.key] = c.old
		default:
			delete(c.mem, c.key)
		}
	}
	clear(t.log[sp.log:]) // drop references to old values
	t.log = t.log[:sp.log]
}

func (m *machine) setMemory(k string, v any) {
	if t := m.track; t != nil {
		old, had := m.memory[k]
		t.log = append(t.log, change{mem: m.memory, key: k, old: old, had: had})
		if had {
			m.memDigest = m.memDigest.minus(t.entry(-1, k, old))
		}
		m.memDigest = m.memDigest.plus(t.entry(-1, k, v))
	}
	m.memory[k] = v
}

func (m *machine) deleteMemory(k string) {
	old, had := m.memory[k]
	if !had {
		return
	}
	if t := m.track; t != nil {
		t.log = append(t.log, change{mem: m.memory, key: k, old: old, had: true})
		m.memDigest = m.memDigest.minus(t.entry(-1, k, old))
	}
	delete(m.memory, k)
}

// replaceMemory makes kept, a new map, the memory. The old map is left as
// it is, so restore only needs the old map back.
func (m *machine) replaceMemory(kept map[string]any) {
	m.memory = kept
	if t := m.track; t != nil {
		m.memDigest = digest{}
		for k, v := range kept {
			m.memDigest = m.memDigest.plus(t.entry(-1, k, v))
		}
	}
}

// setAttr sets an external session attribute; a new key goes last.
func (m *machine) setAttr(k, v string) {
	t := m.track
	for i := range m.attrs {
		if m.attrs[i].Key == k {
			if t != nil {
				t.log = append(t.log, change{attr: i, prev: m.attrs[i].Value})
				m.attrDigest = m.attrDigest.minus(t.entry(i, k, m.attrs[i].Value)).plus(t.entry(i, k, v))
			}
			m.attrs[i].Value = v
			return
		}
	}
	if t != nil {
		m.attrDigest = m.attrDigest.plus(t.entry(len(m.attrs), k, v))
	}
	m.attrs = append(m.attrs, Attribute{Key: k, Value: v})
}

// entry hashes one memory entry (pos -1) or the attribute at pos.
func (t *tracker) entry(pos int, k string, v any) digest {
	t.buf = binary.AppendVarint(t.buf[:0], int64(pos))
	t.buf = appendString(t.buf, k)
	t.buf = appendValue(t.buf, v, 0)
	t.h.Reset()
	t.h.Write(t.buf)
	sum := t.h.Sum(t.buf[len(t.buf):])
	return digest{binary.BigEndian.Uint64(sum[:8]), binary.BigEndian.Uint64(sum[8:16])}
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// appendValue encodes an expression value so that different values (by
// type and content) encode differently.
func appendValue(b []byte, v any, depth int) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, 'n')
	case bool:
		if x {
			return append(b, 't')
		}
		return append(b, 'f')
	case string:
		return appendString(append(b, 's'), x)
	case float64:
		return binary.BigEndian.AppendUint64(append(b, 'd'), math.Float64bits(x))
	case int:
		return binary.AppendVarint(append(b, 'i'), int64(x))
	case []any:
		if depth < 32 {
			b = binary.AppendUvarint(append(b, 'a'), uint64(len(x)))
			for _, e := range x {
				b = appendValue(b, e, depth+1)
			}
			return b
		}
	case map[string]any:
		if depth < 32 {
			b = binary.AppendUvarint(append(b, 'm'), uint64(len(x)))
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				b = appendValue(appendString(b, k), x[k], depth+1)
			}
			return b
		}
	}
	// Other types (other numbers, times, durations): their Go syntax.
	s := fmt.Sprintf("%s:%#v", reflect.TypeOf(v), v)
	return appendString(append(b, 'g'), s)
}
