package lsp

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"

	"github.com/sourcegraph/jsonrpc2"
)

// MaxMessage bounds the body of one protocol message. An 8 MiB document
// (schemas.MaxFileSize) escaped as JSON stays well under it.
const MaxMessage = 64 << 20

// maxHeaderLine bounds one header line of a message.
const maxHeaderLine = 4 << 10

// stream is the server's jsonrpc2.ObjectStream: base-protocol frames
// (Content-Length headers, then the body). It reads each body whole, so
// that a body that is not a JSON-RPC message gets the error reply JSON-RPC
// asks for (-32700 parse error, -32600 invalid request; id null unless the
// message has one) and the session carries on with the next frame:
// sourcegraph/jsonrpc2's own codec would end the session. A body over
// MaxMessage is skipped unread, with an invalid-request reply. Only a
// frame that cannot be delimited (no Content-Length, a header line over
// 4 KiB or without \r\n) ends the session.
type stream struct {
	rwc  io.Closer
	r    *bufio.Reader
	max  int64 // MaxMessage
	logf func(format string, a ...any)

	mu sync.Mutex // writes: replies from the reader, the connection's own
	w  *bufio.Writer
}

func newStream(rwc io.ReadWriteCloser, logf func(format string, a ...any)) *stream {
	return &stream{rwc: rwc, r: bufio.NewReaderSize(rwc, maxHeaderLine), max: MaxMessage, w: bufio.NewWriter(rwc), logf: logf}
}

// WriteObject implements jsonrpc2.ObjectStream.
func (s *stream) WriteObject(obj any) error {
	data, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	return s.write(data)
}

func (s *stream) write(data []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := fmt.Fprintf(s.w, "Content-Length: %d\r\n\r\n", len(data)); err != nil {
		return err
	}
	if _, err := s.w.Write(data); err != nil {
		return err
	}
	return s.w.Flush()
}

// ReadObject implements jsonrpc2.ObjectStream: it stores the next message
// that is one in v, answering those that are not.
func (s *stream) ReadObject(v any) error {
	for {
		body, err := s.frame()
		if err != nil {
			return err
		}
		if body == nil {
			continue // too large: answered
		}
		err = json.Unmarshal(body, v)
		if err == nil {
			return nil
		}
		var se *json.SyntaxError
		if errors.As(err, &se) {
			s.reject(nil, jsonrpc2.CodeParseError, fmt.Sprintf("parse error: the message is not JSON (%v at byte %d)", err, se.Offset))
			continue
		}
		s.reject(messageID(body), jsonrpc2.CodeInvalidRequest, "invalid request: "+err.Error())
	}
}

// frame reads the next message's body; nil (and no error) for a body over
// MaxMessage, skipped and answered.
func (s *stream) frame() ([]byte, error) {
	length := int64(-1)
	for {
		line, err := s.r.ReadSlice('\n')
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			return nil, fmt.Errorf("jsonrpc2: a header line is longer than %d bytes", maxHeaderLine)
		case err != nil:
			return nil, err
		}
		if !bytes.HasSuffix(line, []byte("\r\n")) {
			return nil, errors.New(`jsonrpc2: line endings must be \r\n`)
		}
		line = line[:len(line)-2]
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if ok && bytes.EqualFold(bytes.TrimSpace(name), []byte("Content-Length")) {
			n, err := strconv.ParseInt(string(bytes.TrimSpace(value)), 10, 64)
			if err != nil || n < 0 {
				return nil, fmt.Errorf("jsonrpc2: bad Content-Length %q", bytes.TrimSpace(value))
			}
			length = n
		}
	}
	if length < 0 {
		return nil, errors.New("jsonrpc2: no Content-Length header found")
	}
	if length > s.max {
		if _, err := io.CopyN(io.Discard, s.r, length); err != nil {
			return nil, err
		}
		s.reject(nil, jsonrpc2.CodeInvalidRequest, fmt.Sprintf("invalid request: the message has %d bytes; flowctl lsp reads messages of up to %d bytes", length, s.max))
		return nil, nil
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(s.r, body); err != nil {
		return nil, err
	}
	return body, nil
}

// reject answers a message that is none with a JSON-RPC error and logs it.
func (s *stream) reject(id json.RawMessage, code int64, msg string) {
	if id == nil {
		id = json.RawMessage("null")
	}
	s.logf("%s", msg)
	reply, _ := json.Marshal(struct {
		Version string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Error   jsonrpc2.Error  `json:"error"`
	}{"2.0", id, jsonrpc2.Error{Code: code, Message: msg}})
	if err := s.write(reply); err != nil {
		s.logf("cannot answer: %v", err)
	}
}

// messageID is the id of a JSON object that has a number or string one,
// else nil.
func messageID(body []byte) json.RawMessage {
	var m struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(body, &m) != nil || len(m.ID) == 0 {
		return nil
	}
	if c := m.ID[0]; c == '"' || c == '-' || (c >= '0' && c <= '9') {
		return m.ID
	}
	return nil
}

// Close implements jsonrpc2.ObjectStream.
func (s *stream) Close() error { return s.rwc.Close() }
