package cmd

import (
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// styles are the text-output styles, bound to stdout's colour decision.
// With colour off every style renders its text unchanged.
type styles struct {
	Error, Warning, Rule, File, Dim, Bold, Bot, User, Agent, System, OK lipgloss.Style
}

func newStyles(ios *IOStreams) *styles {
	r := lipgloss.NewRenderer(ios.Out)
	if ios.ColorEnabled() {
		r.SetColorProfile(termenv.ANSI)
	} else {
		r.SetColorProfile(termenv.Ascii)
	}
	s := r.NewStyle()
	return &styles{
		Error:   s.Foreground(lipgloss.Color("1")).Bold(true),
		Warning: s.Foreground(lipgloss.Color("3")).Bold(true),
		Rule:    s.Foreground(lipgloss.Color("8")),
		File:    s.Bold(true),
		Dim:     s.Foreground(lipgloss.Color("8")),
		Bold:    s.Bold(true),
		Bot:     s.Foreground(lipgloss.Color("6")).Bold(true),
		User:    s.Foreground(lipgloss.Color("2")).Bold(true),
		Agent:   s.Foreground(lipgloss.Color("5")).Bold(true),
		System:  s.Foreground(lipgloss.Color("3")),
		OK:      s.Foreground(lipgloss.Color("2")).Bold(true),
	}
}
