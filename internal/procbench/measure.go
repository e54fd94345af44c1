package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// command is one program of a row: the floor, flowctl, or the base build.
type command struct {
	tool string // floor, flowctl or base
	path string
	args []string
	exit int
}

func (c command) String() string {
	return strings.Join(append([]string{c.tool}, c.args...), " ")
}

// sample is one run of a command.
type sample struct {
	wall, cpu time.Duration
	rssKB     int64
}

// result is a row's samples, per command in the row's order.
type result struct {
	row     row
	cmds    []command
	samples [][]sample
	instr   []int64 // per command, with -callgrind
}

// measure runs each command once to warm the page cache, then runs the
// commands o.runs times, interleaved.
func measure(r row, cmds []command, dir string, env []string, o options) (result, error) {
	res := result{row: r, cmds: cmds, samples: make([][]sample, len(cmds))}
	for _, c := range cmds {
		if _, err := runOnce(c, dir, env); err != nil {
			return res, err
		}
	}
	for i := range o.runs {
		fmt.Fprintf(os.Stderr, "%s: run %d of %d\n", r.name, i+1, o.runs)
		for j, c := range cmds {
			s, err := runOnce(c, dir, env)
			if err != nil {
				return res, err
			}
			res.samples[j] = append(res.samples[j], s)
		}
	}
	if o.callgrind {
		for _, c := range cmds {
			n, err := instructions(c, dir, env)
			if err != nil {
				return res, err
			}
			res.instr = append(res.instr, n)
		}
	}
	return res, nil
}

// runOnce runs c with its output discarded and checks its exit status.
func runOnce(c command, dir string, env []string) (sample, error) {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return sample{}, err
	}
	defer null.Close()
	cmd := exec.Command(c.path, c.args...)
	cmd.Dir, cmd.Env, cmd.Stdout = dir, env, null
	var stderr bytes.Buffer
	cmd.Stderr = &limited{w: &stderr, n: 4096}
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	if code := cmd.ProcessState.ExitCode(); code != c.exit {
		return sample{}, fmt.Errorf("%s: exit %d, want %d (%v): %s", c, code, c.exit, err, stderr.String())
	}
	st := cmd.ProcessState
	return sample{wall: wall, cpu: st.UserTime() + st.SystemTime(), rssKB: maxRSSKB(st)}, nil
}

var collectedRe = regexp.MustCompile(`Collected : (\d+)`)

// instructions counts the instructions c executes, with callgrind.
func instructions(c command, dir string, env []string) (int64, error) {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return 0, err
	}
	defer null.Close()
	cmd := exec.Command("valgrind", append([]string{"--tool=callgrind", "--callgrind-out-file=" + os.DevNull, c.path}, c.args...)...)
	// Valgrind fails on the signals of Go's asynchronous preemption and
	// does not know the RDTSCP instruction of the runtime's clock.
	cmd.Dir, cmd.Env, cmd.Stdout = dir, append(env, "GODEBUG=asyncpreemptoff=1,cpu.rdtscp=off"), null
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	fmt.Fprintf(os.Stderr, "callgrind %s\n", c)
	err = cmd.Run()
	m := collectedRe.FindSubmatch(stderr.Bytes())
	if m == nil {
		return 0, fmt.Errorf("valgrind %s: %v: %.500s", c, err, stderr.String())
	}
	return strconv.ParseInt(string(m[1]), 10, 64)
}

// limited writes at most n bytes to w and drops the rest.
type limited struct {
	w io.Writer
	n int
}

func (l *limited) Write(p []byte) (int, error) {
	if len(p) > l.n {
		l.w.Write(p[:l.n])
		l.n = 0
		return len(p), nil
	}
	l.n -= len(p)
	return l.w.Write(p)
}

func median[T int64 | time.Duration](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// stats are the medians of one command's samples, and its fastest run
// (the least disturbed by other load).
type stats struct {
	wall, cpu time.Duration
	rssKB     int64
	minWall   time.Duration
}

func medians(ss []sample) stats {
	var wall, cpu []time.Duration
	var rss []int64
	for _, s := range ss {
		wall, cpu, rss = append(wall, s.wall), append(cpu, s.cpu), append(rss, s.rssKB)
	}
	return stats{median(wall), median(cpu), median(rss), slices.Min(wall)}
}
