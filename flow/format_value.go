package flow

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxFormatDepth bounds the nesting FormatValue writes out; deeper lists
// and maps are written as … (expressions cannot build deeper ones within
// their budgets, but a value's shape is not checked here).
const maxFormatDepth = 64

// formatOther formats what FormatValue does not itself: a list or map as
// JSON (map keys sorted, numbers as FormatValue writes them, without
// exponent, null for nil inside), anything else (a bool, an int, a time)
// as fmt prints it.
func formatOther(v any) string {
	switch reflect.ValueOf(v).Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		var sb strings.Builder
		writeJSON(&sb, v, 0)
		return sb.String()
	}
	return fmt.Sprint(v)
}

func writeJSON(sb *strings.Builder, v any, depth int) {
	if depth > maxFormatDepth {
		sb.WriteString("…")
		return
	}
	switch x := v.(type) {
	case nil:
		sb.WriteString("null")
	case string:
		writeJSONString(sb, x)
	case bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64:
		sb.WriteString(FormatValue(x))
	default:
		writeJSONComposite(sb, reflect.ValueOf(x), depth)
	}
}

// writeJSONComposite writes a list as a JSON array and a map as a JSON
// object (its keys as FormatValue writes them, sorted); anything else (a
// time, a duration) as a JSON string of its text.
func writeJSONComposite(sb *strings.Builder, rv reflect.Value, depth int) {
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		sb.WriteByte('[')
		for i := range rv.Len() {
			if i > 0 {
				sb.WriteByte(',')
			}
			writeJSON(sb, rv.Index(i).Interface(), depth+1)
		}
		sb.WriteByte(']')
	case reflect.Map:
		type entry struct {
			key string
			val reflect.Value
		}
		entries := make([]entry, 0, rv.Len())
		for it := rv.MapRange(); it.Next(); {
			entries = append(entries, entry{FormatValue(it.Key().Interface()), it.Value()})
		}
		slices.SortFunc(entries, func(a, b entry) int { return strings.Compare(a.key, b.key) })
		sb.WriteByte('{')
		for i, e := range entries {
			if i > 0 {
				sb.WriteByte(',')
			}
			writeJSONString(sb, e.key)
			sb.WriteByte(':')
			writeJSON(sb, e.val.Interface(), depth+1)
		}
		sb.WriteByte('}')
	default:
		writeJSONString(sb, fmt.Sprint(rv.Interface()))
	}
}

// writeJSONString writes s as a JSON string, escaping only what JSON
// requires (quotes, backslashes, control characters); invalid UTF-8
// becomes U+FFFD.
func writeJSONString(sb *strings.Builder, s string) {
	sb.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			sb.WriteByte('\\')
			sb.WriteRune(r)
		case r == '\n':
			sb.WriteString(`\n`)
		case r == '\t':
			sb.WriteString(`\t`)
		case r == '\r':
			sb.WriteString(`\r`)
		case r < 0x20:
			sb.WriteString(`\u00`)
			sb.WriteString(strconv.FormatInt(int64(r)>>4, 16))
			sb.WriteString(strconv.FormatInt(int64(r)&0xf, 16))
		case r == utf8.RuneError:
			sb.WriteRune(utf8.RuneError)
		default:
			sb.WriteRune(r)
		}
	}
	sb.WriteByte('"')
}
