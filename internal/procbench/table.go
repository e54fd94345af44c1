package main

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"time"
)

// printTable writes the results as a Markdown table: per row the floor's
// medians (and fastest wall time), flowctl's, and flowctl's as multiples of
// the floor's (wall, CPU, peak RSS, and instructions with -callgrind); a
// base build gets the same columns as flowctl.
func printTable(w io.Writer, results []result, o options) {
	fmt.Fprintf(w, "%d interleaved runs per command, medians; %d CPUs, %s\n\n", o.runs, runtime.NumCPU(), loadAverage())
	head := "| row | target | floor: wall (fastest), CPU, peak RSS | flowctl: wall (fastest), CPU, peak RSS | flowctl ÷ floor: wall (fastest), CPU, peak |"
	sep := "|---|---|---|---|---|"
	if o.callgrind {
		head += " instructions ÷ floor |"
		sep += "---|"
	}
	if o.base != "" {
		head += " base: wall (fastest), CPU, peak RSS | base ÷ floor: wall (fastest), CPU, peak |"
		sep += "---|---|"
	}
	fmt.Fprintln(w, head)
	fmt.Fprintln(w, sep)
	for _, r := range results {
		floor := medians(r.samples[0])
		line := fmt.Sprintf("| %s | %s | %s | ", r.row.name, r.row.target, abs(floor))
		fc := medians(r.samples[1])
		line += abs(fc) + " | " + ratios(fc, floor) + " |"
		if o.callgrind {
			line += fmt.Sprintf(" %.2f× (%s vs %s) |", float64(r.instr[1])/float64(r.instr[0]), millions(r.instr[1]), millions(r.instr[0]))
		}
		if o.base != "" {
			b := medians(r.samples[2])
			line += " " + abs(b) + " | " + ratios(b, floor) + " |"
		}
		fmt.Fprintln(w, line)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "rows (WORK is the generated work directory):")
	for _, r := range results {
		fmt.Fprintf(w, "- %s: %s\n", r.row.name, r.row.what)
		for _, c := range r.cmds {
			if c.tool == "base" {
				continue
			}
			fmt.Fprintf(w, "    %s\n", strings.ReplaceAll(c.String(), workDir(c), "WORK"))
		}
	}
}

// workDir guesses the work directory from a command's arguments.
func workDir(c command) string {
	for _, a := range c.args {
		if i := strings.Index(a, "/procbench"); i >= 0 {
			if j := strings.IndexByte(a[i+1:], '/'); j >= 0 {
				return a[:i+1+j]
			}
			return a
		}
	}
	return "\x00"
}

func abs(s stats) string {
	return fmt.Sprintf("%s (%s), %s, %s", ms(s.wall), ms(s.minWall), ms(s.cpu), mb(s.rssKB))
}

func ratios(s, floor stats) string {
	return fmt.Sprintf("%.2f× (%.2f×), %.2f×, %.2f×", ratio(float64(s.wall), float64(floor.wall)), ratio(float64(s.minWall), float64(floor.minWall)), ratio(float64(s.cpu), float64(floor.cpu)), ratio(float64(s.rssKB), float64(floor.rssKB)))
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func ms(d time.Duration) string {
	if d < 100*time.Millisecond {
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
}

func mb(kb int64) string { return fmt.Sprintf("%.0f MB", float64(kb)*1024/1e6) }

func millions(n int64) string { return fmt.Sprintf("%.0f M", float64(n)/1e6) }
