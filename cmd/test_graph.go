package cmd

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/flowctl/flowctl/graph"
	"github.com/flowctl/flowctl/simulate"
)

// writeCoverageGraphs draws each tested flow with its coverage overlay, one
// file per flow file (see coverageGraphPaths).
func writeCoverageGraphs(f *Factory, path string, results []simulate.TestResult) error {
	flows := simulate.MergeCoverage(results)
	if len(flows) == 0 {
		return failuref("--graph: no test ran, so there is no coverage to draw")
	}
	files := make([]string, len(flows))
	for i, fc := range flows {
		files[i] = fc.Project.File
	}
	outs := coverageGraphPaths(path, files)
	format := graph.FormatOfPath(path)
	for i, fc := range flows {
		covered := map[string]bool{}
		for _, k := range fc.Coverage.Keys() {
			covered[k] = true
		}
		if err := writeGraphFile(outs[i], fc.Project, graph.Options{Format: format, Covered: covered}); err != nil {
			return failuref("--graph: %v", err)
		}
		fmt.Fprintf(f.IO.ErrOut, "wrote coverage graph %s\n", outs[i])
	}
	return nil
}

// coverageGraphPaths names the graph file of each flow file for --graph
// path. One flow gets path itself. Several get their file name's stem
// inserted before path's extension (cov.md: cov.acme.md); flows whose
// stems are equal get as many of their parent folders as tell them apart,
// joined by "-" (en/support.flow.yaml and de/support.flow.yaml:
// cov.en-support.md and cov.de-support.md). Names still equal after every
// folder (b/c.flow.yaml and b-c.flow.yaml) are numbered in file order:
// b-c, b-c-2.
func coverageGraphPaths(path string, files []string) []string {
	if len(files) == 1 {
		return []string{path}
	}
	// parts[i] is the stem, then the folders from the innermost out.
	parts := make([][]string, len(files))
	for i, file := range files {
		parts[i] = []string{flowFiles.stem(file)}
		if abs, err := filepath.Abs(file); err == nil {
			file = abs
		}
		dir := filepath.ToSlash(strings.TrimPrefix(filepath.Dir(file), filepath.VolumeName(file)))
		folders := strings.Split(dir, "/")
		for j := len(folders) - 1; j >= 0; j-- {
			if folders[j] != "" && folders[j] != "." {
				parts[i] = append(parts[i], folders[j])
			}
		}
	}
	depth := make([]int, len(files))
	name := func(i int) string {
		p := slices.Clone(parts[i][:min(depth[i]+1, len(parts[i]))])
		slices.Reverse(p)
		return strings.Join(p, "-")
	}
	for grown := true; grown; {
		grown = false
		groups := map[string][]int{}
		for i := range files {
			groups[name(i)] = append(groups[name(i)], i)
		}
		for _, g := range groups {
			for _, i := range g {
				if len(g) > 1 && depth[i]+1 < len(parts[i]) {
					depth[i]++
					grown = true
				}
			}
		}
	}
	ext := filepath.Ext(path)
	base := strings.TrimSuffix(path, ext)
	out := make([]string, len(files))
	taken := map[string]bool{}
	for i := range files {
		n := name(i)
		for k := 2; taken[n]; k++ {
			n = fmt.Sprintf("%s-%d", name(i), k)
		}
		taken[n] = true
		out[i] = base + "." + n + ext
	}
	return out
}
