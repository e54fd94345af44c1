package report

import (
	"io"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Styles are the text-output styles, bound to one output's colour
// decision. With colour off every style renders its text unchanged.
type Styles struct {
	Error, Warning, Rule, File, Dim, Bold, Bot, User, Agent, System, OK lipgloss.Style
}

// NewStyles returns the styles of text written to out, coloured or not.
func NewStyles(out io.Writer, color bool) *Styles {
	r := lipgloss.NewRenderer(out)
	if color {
		r.SetColorProfile(termenv.ANSI)
	} else {
		r.SetColorProfile(termenv.Ascii)
	}
	s := r.NewStyle()
	return &Styles{
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
