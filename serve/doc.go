// Package serve is flowctl serve's bridge: a local web chat that runs a flow
// live (the simulate engine on a real clock, so the inactivity timeout
// really fires) and hands chats over to Genesys Cloud through Open
// Messaging, real or emulated.
//
// The parts, one file or two each:
//   - server.go: the Server's life (New, Serve, Close); options.go: its
//     Options, limits and timings;
//   - the chats: chat.go (a session, its state for pages), chat_pages.go
//     (the pages showing it), chat_ops.go (its operations, one at a time:
//     user messages, agent updates, the handover and the Genesys calls
//     they cause, made holding no lock), chat_updates.go (what Genesys
//     says, applied), chatlog.go (its log within a byte budget, stored
//     once);
//   - registry.go: the chats by id, conversation and customer, bounded,
//     with eviction; gate.go: the operations in flight and shutdown
//     draining;
//   - bridge.go: the seam to Genesys (hand over, send, move to a queue,
//     leave; updates back), webhook.go: its Open Messaging implementation
//     with the signed outbound webhook; real.go: its setup from
//     credentials and the checks before the first chat; lifecycle*.go: the
//     conversation's lifecycle from the Notification API or polling (the
//     source, its topics, its snapshots), lifecycle_diff.go: what changed
//     between two snapshots of its participants; emulator.go: the
//     built-in emulator and the default org; desk.go: the emulator's agent
//     desk;
//   - routes.go, hostcheck.go, ws.go, pageconn.go, limits.go: the pages,
//     the Host allow-list (against DNS rebinding), the pages' websocket
//     protocol, one page's websocket (its bounded send queue and pings),
//     and connection bounds;
//   - flowwatch.go, transcript.go, record.go: the flow file reloaded, the
//     JSON-lines transcripts, "save as test".
//
// At a Redirect the engine stops (simulate's deferred handover); the chat
// looks the queue up by exact name, posts the first inbound message with
// the accumulated SetExternalSessionAttributes under
// channel.metadata.customAttributes, waits for the conversation's
// participants and transfers it to the queue (replace/queue), and then
// tells the engine the outcome. Agent messages come back on the
// integration's webhook, signed with X-Hub-Signature-256, which the bridge
// verifies and answers at once; who joined, transferred or ended comes
// from the conversation's participants (Open Messaging sends no presence
// events). A conversation the chat is done with is ended in Genesys.
//
// A chat id is the page's capability (it resumes the chat and opens its
// transcript): the flow's session.id and the Open Messaging customer id
// are other random ids, so neither the flow nor Genesys ever sees it.
//
// Dependencies: flow, simulate, genesys, coder/websocket, fsnotify, yaml.v3 and the
// standard library. It never imports cmd, never prints to the terminal
// (logs go to the writer it is given) and never logs or serves a secret.
package serve
