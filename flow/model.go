package flow

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"gopkg.in/yaml.v3"
)

// DefaultMaxInactivity is session.maxInactivity when a file does not set it.
const DefaultMaxInactivity = 30 * time.Minute

// Project is one flow file: a bot project with its flows and intents.
type Project struct {
	File    string // path as given to the loader
	Source  []byte // the file's bytes, for snippets
	Version int
	Name    string

	Start    string // entry flow name (resolved: the only flow when unset)
	StartPos Pos    // position of the top-level start, or of flows when unset
	startSet bool   // start is in the file (maybe blank: unknown-next)

	MaxInactivity time.Duration
	Intents       []*Intent // in declaration order: the first match wins
	Flows         []*Flow   // in declaration order

	flowByName map[string]*Flow
	findings   []Finding  // found while loading
	lines      *lineIndex // of Source
}

// Flow returns the flow of that name, or nil.
func (p *Project) Flow(name string) *Flow { return p.flowByName[name] }

// EntryFlow returns the flow a session starts in, or nil when it is unknown.
func (p *Project) EntryFlow() *Flow { return p.flowByName[p.Start] }

// Intent is what the offline recogniser knows about one intent.
type Intent struct {
	Name     string
	Pos      Pos
	Keywords []string
	Examples []string
	Patterns []*regexp.Regexp // only the patterns that compiled

	terms []intentTerm // every keyword, example and pattern, for the rules
}

// Flow is a named graph of blocks.
type Flow struct {
	Name     string
	Pos      Pos
	Start    string
	StartPos Pos
	Blocks   []*Block // in file order

	byID     map[string]*Block // first block of each id
	project  *Project
	startSet bool // start is in the file (maybe blank: unknown-next)
}

// Project returns the project the flow belongs to.
func (f *Flow) Project() *Project { return f.project }

// Block returns the block with that id, or nil.
func (f *Flow) Block(id string) *Block { return f.byID[id] }

// BlockType is the kind of a block.
type BlockType string

// Block types.
const (
	TypeSay      BlockType = "say"
	TypeAsk      BlockType = "ask"
	TypeSet      BlockType = "set"
	TypeRedirect BlockType = "redirect"
	TypeTransfer BlockType = "transfer"
	TypeEnd      BlockType = "end"
)

// BlockTypes lists every block type in the order the docs present them.
var BlockTypes = []BlockType{TypeSay, TypeAsk, TypeSet, TypeRedirect, TypeTransfer, TypeEnd}

// Entities an ask block can expect.
const (
	EntityAny     = "any"
	EntityNumber  = "number"
	EntityEmail   = "email"
	EntityPhone   = "phone"
	EntityYesNo   = "yes_no"
	EntityPattern = "pattern"
)

// Block is one step of a flow. Fields that do not apply to its type are zero.
// A block whose type is missing or unknown still has its id and edges.
type Block struct {
	Flow    *Flow
	ID      string
	Pos     Pos // the block's mapping
	IDPos   Pos
	Type    BlockType // "" when missing or unknown
	TypePos Pos

	Set      []*Assign  // set: memory assignments, in order
	Commands []*Command // in order

	Text            []*Template // say, ask, set, end: messages sent in order
	TextPos         Pos
	Input           bool        // say: wait for a user message
	QuickReplies    []*Template // say
	QuickRepliesPos Pos         // say: position of the quickReplies key
	Reprompt        []*Template // say: used in turn when no output matches

	Variable    string // ask: memory key
	VariablePos Pos
	Entity      string         // ask: one of the Entity constants ("" = any)
	EntityPos   Pos            // ask
	Pattern     *regexp.Regexp // ask with entity pattern
	PatternPos  Pos
	Retry       *Template // ask: sent when the reply is not a valid entity

	Queue     *Template // redirect: the Genesys queue name
	QueuePos  Pos       // redirect: position of queue, or of the block when missing
	Resume    bool      // redirect
	ResumePos Pos       // redirect: position of the resume key
	OnError   *Ref      // redirect

	TargetFlow *Ref     // transfer
	Carry      []string // transfer
	CarryPos   []Pos    // transfer: where each Carry entry is
	flowSet    bool     // transfer: the flow key is in the file (maybe not a name)

	Next       *Ref      // at most one of Next and Outputs is set
	Outputs    []*Output // tried top to bottom, first true wins
	OutputsPos Pos       // position of the outputs key

	edges  []Edge // computed by Project.link
	linked bool
	// misspelt are the fields the block's unknown keys probably meant
	// ("onError" for onerror): the schema reports the key, so the rules
	// about the field being absent stay quiet.
	misspelt []string
}

// At returns where findings about the block as a whole go: its id, or the
// block itself when it has no id.
func (b *Block) At() Pos {
	if b.IDPos.Line != 0 {
		return b.IDPos
	}
	return b.Pos
}

// TypeAt returns where findings about a field the block lacks go: its type
// (which asks for the field), else At.
func (b *Block) TypeAt() Pos {
	if b.TypePos.Line != 0 {
		return b.TypePos
	}
	return b.At()
}

// label names the block in messages: its quoted id, or its line.
func (b *Block) label() string {
	if b.ID != "" {
		return strconv.Quote(b.ID)
	}
	return fmt.Sprintf("at line %d", b.Pos.Line)
}

// Terminal reports whether the session ends after this block because it has
// nowhere to go (end blocks and blocks with neither next nor outputs).
func (b *Block) Terminal() bool {
	switch b.Type {
	case TypeEnd:
		return true
	case TypeRedirect, TypeTransfer:
		return false
	}
	return b.Next == nil && len(b.Outputs) == 0
}

// WaitsForInput reports whether running the block waits for a user message.
func (b *Block) WaitsForInput() bool {
	return b.Type == TypeAsk || (b.Type == TypeSay && b.Input)
}

// Ref names a block (or, for transfer, a flow) at a position.
type Ref struct {
	Name string
	Pos  Pos
}

// Output is one guarded edge of a block.
type Output struct {
	Pos  Pos
	When *Expr // nil: the default output
	Next Ref
	// nextSet: next is in the file (maybe blank); when it is not, Next.Pos
	// is the output's and the schema reports the missing field.
	nextSet bool
}

// Assign is one memory assignment of a set block. A nil Value clears the key.
type Assign struct {
	Key   string
	Pos   Pos
	Value *Expr
}

// Command is one entry of a block's commands map.
type Command struct {
	Name string
	Pos  Pos // of the name
	// Value is the decoded value: string leaves are *Template, maps are
	// map[string]any (keys in Keys order for SetExternalSessionAttributes),
	// lists are []any, and numbers, booleans and null keep their Go types.
	Value    any
	ValuePos Pos
	// Attributes is set for SetExternalSessionAttributes with a valid map value.
	Attributes []*Attribute

	node *yaml.Node // for the command-value rule
}

// Attribute is one SetExternalSessionAttributes entry.
type Attribute struct {
	Key   string
	Pos   Pos
	Value *Template
}

// Well-known command names.
const (
	CmdSetExternalSessionAttributes = "SetExternalSessionAttributes"
	CmdBlockingOperation            = "BlockingOperation"
	CmdCarousel                     = "Carousel"
	CmdEmbedWebsite                 = "EmbedWebsite"
	CmdSetAuthor                    = "SetAuthor"
	CmdSetVerifiedAuthor            = "SetVerifiedAuthor"
)
