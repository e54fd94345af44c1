package schemas

import (
	"strconv"
	"strings"
)

// pathString renders a JSON pointer's segments as a.b[2].c.
func pathString(loc []string) string {
	var sb strings.Builder
	for _, seg := range loc {
		if _, err := strconv.Atoi(seg); err == nil {
			sb.WriteString("[" + seg + "]")
			continue
		}
		if sb.Len() > 0 {
			sb.WriteByte('.')
		}
		sb.WriteString(seg)
	}
	return sb.String()
}
