// flowctl serve: the web chat page. It talks to the bridge over one
// websocket; the chat id is kept in sessionStorage, so a reload or a
// reconnect resumes the same conversation with its history.
(() => {
  "use strict";
  const $ = (sel) => document.querySelector(sel);
  const log = $("[data-testid=chat-log]");
  const input = $("[data-testid=chat-input]");
  const send = $("[data-testid=chat-send]");
  const stateEl = $("[data-testid=chat-state]");
  const queueEl = $("[data-testid=chat-queue]");
  const quick = $("[data-testid=chat-quick-replies]");
  const notice = $("[data-testid=chat-notice]");
  const errors = $("[data-testid=flow-errors]");
  const banner = $("[data-testid=flow-reloaded]");
  const storeKey = "flowctl-serve-chat";

  let ws = null;
  let chatId = sessionStorage.getItem(storeKey) || "";
  let version = 0;
  let lastSeq = 0;
  let backoff = 250;
  let closed = false;
  const pending = [];

  function connect() {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    const q = chatId ? "?chat=" + encodeURIComponent(chatId) : "";
    ws = new WebSocket(proto + "//" + location.host + "/ws" + q);
    ws.onopen = () => {
      backoff = 250;
      say("");
      while (pending.length) ws.send(pending.shift());
    };
    ws.onmessage = (e) => handle(JSON.parse(e.data));
    ws.onclose = () => {
      say("Disconnected; reconnecting…");
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 4000);
    };
  }

  function post(msg) {
    const data = JSON.stringify(msg);
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(data);
    else pending.push(data);
  }

  function say(text, bad) {
    notice.textContent = text;
    notice.classList.toggle("bad", !!bad);
  }

  function handle(m) {
    switch (m.type) {
      case "hello":
        chatId = m.chat || "";
        if (chatId) sessionStorage.setItem(storeKey, chatId);
        else sessionStorage.removeItem(storeKey);
        version = m.version || 0;
        if (!chatId) {
          log.replaceChildren();
          lastSeq = 0;
          setState({ state: "", closed: true });
        }
        showFlow(m.flow);
        document.querySelectorAll("[data-action=save-test]").forEach((b) => { b.hidden = !m.saveTest; });
        if (m.error) say(m.error, true);
        break;
      case "history":
        // The first part replaces the log; the next ones (append) go on.
        if (!m.append) {
          log.replaceChildren();
          quick.replaceChildren();
          lastSeq = 0;
          if (m.dropped) {
            const li = document.createElement("li");
            li.dataset.role = "system";
            li.dataset.kind = "note";
            li.textContent = m.dropped + " earlier entries are no longer kept";
            log.append(li);
          }
        }
        m.events.forEach(add);
        setState(m.state);
        break;
      case "event":
        add(m);
        break;
      case "state":
        setState(m);
        break;
      case "flow":
        showFlow(m);
        if (m.ok && !chatId) post({ type: "restart" });
        break;
      case "error":
        say(m.text, true);
        break;
      case "saved":
        say("Saved as " + m.path);
        break;
    }
  }

  function add(ev) {
    if (ev.seq <= lastSeq) return;
    lastSeq = ev.seq;
    const li = document.createElement("li");
    li.dataset.role = ev.role;
    li.dataset.kind = ev.kind;
    if (ev.role === "agent" && ev.name) {
      const name = document.createElement("span");
      name.className = "name";
      name.textContent = ev.name;
      li.append(name);
    }
    const text = document.createElement("span");
    text.className = "text";
    text.textContent = ev.text;
    li.append(text);
    log.append(li);
    li.scrollIntoView({ block: "end" });
    // A bot's or an agent's quick replies (an agent's Structured message)
    // show until the next message.
    if (ev.role === "bot" || ev.role === "user" || ev.role === "agent") showQuick(ev.role !== "user" ? ev.quickReplies : null);
  }

  function showQuick(replies) {
    quick.replaceChildren();
    for (const r of replies || []) {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = r;
      b.addEventListener("click", () => submit(r));
      quick.append(b);
    }
  }

  function setState(s) {
    stateEl.textContent = s.state;
    stateEl.dataset.state = (s.state || "").split(":")[0];
    queueEl.textContent = s.queue && !s.closed ? "queue " + s.queue : "";
    closed = !!s.closed;
    input.disabled = closed;
    send.disabled = closed;
    if (closed && chatId) say("The chat is closed. Restart to talk again.");
  }

  function showFlow(st) {
    if (!st) return;
    const list = errors.querySelector("ul");
    list.replaceChildren();
    const items = [];
    if (st.error) items.push(st.error);
    for (const f of st.findings || []) {
      items.push(f.file + ":" + f.line + ":" + f.column + ": " + f.message + " [" + f.rule + "]");
    }
    for (const q of st.missing || []) {
      items.push("queue \"" + q + "\" is not in the emulated org: restart flowctl serve to add it");
    }
    for (const t of items) {
      const li = document.createElement("li");
      li.textContent = t;
      list.append(li);
    }
    errors.hidden = items.length === 0;
    banner.hidden = !(st.ok && chatId && st.version > version);
  }

  function submit(text) {
    if (!text.trim() || closed) return;
    post({ type: "say", text: text });
    showQuick(null);
  }

  $("[data-testid=chat-form]").addEventListener("submit", (e) => {
    e.preventDefault();
    submit(input.value);
    input.value = "";
    input.focus();
  });
  document.querySelectorAll("[data-action]").forEach((b) =>
    b.addEventListener("click", () => post({ type: b.dataset.action })));

  connect();
  input.focus();
})();
