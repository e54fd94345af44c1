package cmd

import "github.com/flowctl/flowctl/report"

// newStyles returns the text styles of stdout, coloured when it should be.
func newStyles(ios *IOStreams) *report.Styles {
	return report.NewStyles(ios.Out, ios.ColorEnabled())
}
