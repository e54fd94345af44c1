package main

import (
	"os"
	"strings"
)

// loadAverage is the machine's load when the table is printed, for the
// reader to judge the wall times by.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "load unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "load unknown"
	}
	return "load average " + strings.Join(f[:3], " ")
}
