package schemas

import (
	"fmt"
	"slices"
)

// collectAlternatives words an anyOf or oneOf that no alternative
// satisfied, so that one value never gets problems that contradict each
// other ("got array, want string" and "must not be empty"): when the
// value's type is one some alternatives declare, only their problems
// count; when it is none of them, the value gets one problem naming every
// form accepted there (got "dance", want one of "join", "close",
// "timeout" or a mapping such as {say: ...}).
func collectAlternatives(e *verr, out *[]found) {
	list := e.s.anyOf
	if e.fail == failOneOf {
		list = e.s.oneOf
	}
	if len(list) != len(e.causes) {
		for _, c := range e.causes {
			collect(c, out)
		}
		return
	}
	alts := make([]alternative, len(list))
	matched := false
	for i, a := range list {
		alts[i] = alternativeOf(a, 0)
		if alts[i].types&e.t != 0 || alts[i].types&integerType != 0 && e.t == numberType && isInteger(e.n) {
			collect(e.causes[i], out)
			matched = true
		}
	}
	if matched {
		return
	}
	got, forms := e.t.String(), []string(nil)
	for _, a := range alts {
		forms = append(forms, a.forms...)
		if a.values {
			got = describe(e.n)
		}
	}
	*out = append(*out, foundAt(e.n, func() Problem {
		return problemAt(e.n, e.loc, fmt.Sprintf("got %s, want %s", got, joinOr(forms)), "")
	}))
}

// alternative is what one alternative of an anyOf or oneOf accepts.
type alternative struct {
	types  jsonType // the types it declares (0: none, as for an enum)
	forms  []string // the forms a message names: "string", `one of "a", "b"`, "a mapping such as {k: ...}"
	values bool     // it lists values (enum, const): a message shows the value, not its type
}

// alternativeOf reads an alternative, following $refs and nested
// alternatives.
func alternativeOf(s *schema, depth int) alternative {
	if s.always != nil || depth > 8 {
		return alternative{types: ^jsonType(0), forms: []string{"anything"}}
	}
	if s.ref != nil {
		return alternativeOf(s.ref, depth+1)
	}
	var a alternative
	switch {
	case s.enum != nil:
		a.values = true
		a.forms = append(a.forms, "one of "+enumList(s.enum))
	case s.hasConst:
		a.values = true
		a.forms = append(a.forms, fmt.Sprintf("%q", fmt.Sprint(s.constV)))
	case s.types != 0:
		a.types = s.types
		for _, tn := range s.types.names() {
			if tn == "object" && len(s.props) > 0 {
				tn = fmt.Sprintf("a mapping such as {%s: ...}", s.exampleField())
			}
			a.forms = append(a.forms, tn)
		}
	}
	for _, sub := range slices.Concat(s.anyOf, s.oneOf) {
		o := alternativeOf(sub, depth+1)
		a.types |= o.types
		a.forms = append(a.forms, o.forms...)
		a.values = a.values || o.values
	}
	return a
}

// fields returns the names of the properties s declares, sorted.
func (s *schema) fields() []string {
	out := make([]string, 0, len(s.props))
	for k := range s.props {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// exampleField is the field a message shows in a mapping's example: the
// first required one, else the first declared.
func (s *schema) exampleField() string {
	if len(s.required) > 0 {
		return s.required[0]
	}
	return s.fields()[0]
}
