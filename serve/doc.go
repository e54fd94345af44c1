// Package serve is flowctl serve's bridge: a local web chat that runs a flow
// live (the simulate engine on a real clock, so the inactivity timeout
// really fires) and hands chats over to Genesys Cloud through Open
// Messaging, real or emulated.
//
// At a Redirect the bridge looks the queue up by exact name, posts the
// first inbound message with the accumulated SetExternalSessionAttributes
// under channel.metadata.customAttributes, and transfers the conversation to
// the queue (replace/queue). Agent messages and events come back on the
// integration's webhook, signed with X-Hub-Signature-256, which the bridge
// verifies. Without credentials the genesys package's emulator plays
// Genesys on its own loopback listener, and an agent desk page drives it.
//
// The pages are plain HTML, CSS and JavaScript embedded in the binary; they
// talk to the bridge over same-origin websockets. The flow file is watched
// and reloaded; transcripts are written as JSON lines; a chat can be saved
// as a conversation test file.
//
// Dependencies: flow, simulate, genesys, coder/websocket, fsnotify, yaml.v3 and the
// standard library. It never imports cmd, never prints to the terminal
// (logs go to the writer it is given) and never logs or serves a secret.
package serve
