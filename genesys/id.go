package genesys

import (
	"crypto/rand"
	"encoding/hex"
)

// NewID returns a random UUID-shaped id (version 4), as Genesys gives its
// entities and as an inbound message id.
func NewID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	s := hex.EncodeToString(b[:])
	return s[0:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:32]
}
