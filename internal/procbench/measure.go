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

// runOnce runs c with its output discarded and checks its exit status. It
// runs it through a launcher (this program again, see launch): on Linux a
// child started by a Go process (with vfork) reports as its peak memory at
// least its parent's, and this process's is that of the inputs it generated.
func runOnce(c command, dir string, env []string) (sample, error) {
	self, err := os.Executable()
	if err != nil {
		return sample{}, err
	}
	cmd := exec.Command(self, append([]string{launchFlag, c.path}, c.args...)...)
	cmd.Dir, cmd.Env = dir, env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &limited{w: &stderr, n: 4096}
	if err := cmd.Run(); err != nil {
		return sample{}, fmt.Errorf("%s: %v: %s", c, err, stderr.String())
	}
	var wall, cpu time.Duration
	var rssKB int64
	var code int
	if _, err := fmt.Sscan(stdout.String(), &wall, &cpu, &rssKB, &code); err != nil {
		return sample{}, fmt.Errorf("%s: the launcher said %q: %v", c, stdout.String(), err)
	}
	if code != c.exit {
		return sample{}, fmt.Errorf("%s: exit %d, want %d: %s", c, code, c.exit, stderr.String())
	}
	return sample{wall: wall, cpu: cpu, rssKB: rssKB}, nil
}

// launchFlag makes this program a launcher: it runs the command that
// follows with its output discarded (its errors on stderr) and prints its
// wall time, CPU time (in nanoseconds), peak memory (KiB) and exit status.
const launchFlag = "-launch"

func launch(args []string) error {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer null.Close()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdout, cmd.Stderr = null, os.Stderr
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	st := cmd.ProcessState
	if st == nil {
		return err
	}
	_, err = fmt.Printf("%d %d %d %d\n", wall, st.UserTime()+st.SystemTime(), maxRSSKB(st), st.ExitCode())
	return err
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
