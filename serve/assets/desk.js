// flowctl serve: the agent desk of the built-in Genesys emulator. It lists
// waiting and active chats per queue; a person joins, replies (with quick
// replies if given), transfers to a queue or to another agent, and closes
// them. A chat transferred to another agent is offered to that agent, who
// accepts it with its own Join button ("Join as Bob"). The websocket sends every chat on connecting ("desk",
// maybe continued by updates), then only the chats that changed and the
// ids of those that left ("desk-update").
(() => {
  "use strict";
  const $ = (sel) => document.querySelector(sel);
  const list = $("[data-testid=desk-chats]");
  const empty = $("[data-testid=desk-empty]");
  const agentSel = $("[data-testid=desk-agent]");
  const title = $("[data-testid=desk-title]");
  const log = $("[data-testid=desk-log]");
  const input = $("[data-testid=desk-input]");
  const replies = $("[data-testid=desk-quick-replies]");
  const notice = $("[data-testid=desk-notice]");

  let ws = null;
  let backoff = 250;
  let snap = { chats: [], queues: [], agents: [] };
  let selected = "";

  function connect() {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    ws = new WebSocket(proto + "//" + location.host + "/desk/ws");
    ws.onopen = () => { backoff = 250; say(""); };
    ws.onmessage = (e) => {
      const m = JSON.parse(e.data);
      if (m.type === "desk") render(m);
      else if (m.type === "desk-update") render(merge(m));
      else if (m.type === "error") say(m.text, true);
    };
    ws.onclose = () => {
      say("Disconnected; reconnecting…");
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 4000);
    };
  }

  function post(msg) {
    if (ws && ws.readyState === WebSocket.OPEN) { say(""); ws.send(JSON.stringify(msg)); }
    else say("Not connected", true);
  }

  function say(text, bad) {
    notice.textContent = text;
    notice.classList.toggle("bad", !!bad);
  }

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // merge applies an update to the chats shown: changed chats replace
  // theirs in place, new ones go last (they are the newest).
  function merge(u) {
    const gone = new Set(u.removed || []);
    const chats = snap.chats.filter((c) => !gone.has(c.id));
    for (const c of u.chats) {
      const i = chats.findIndex((o) => o.id === c.id);
      if (i >= 0) chats[i] = c;
      else chats.push(c);
    }
    return { type: "desk", agents: snap.agents, queues: snap.queues, chats: chats };
  }

  function render(m) {
    const first = snap.agents.length === 0;
    snap = m;
    if (first || agentSel.options.length !== m.agents.length) {
      const keep = agentSel.value;
      agentSel.replaceChildren(...m.agents.map((a) => el("option", { value: a }, a)));
      if (m.agents.includes(keep)) agentSel.value = keep;
    }
    const ids = new Set(m.chats.map((c) => c.id));
    if (!ids.has(selected)) selected = "";
    if (!selected) {
      const mine = m.chats.find((c) => c.state === "agent");
      if (mine) selected = mine.id;
    }
    // Group by queue. Elements are updated in place and moved only when
    // their place changes, so a click never races a redraw.
    const old = new Map([...list.querySelectorAll("[data-testid=desk-chat]")].map((a) => [a.dataset.conversation, a]));
    const oldSecs = new Map([...list.children].map((s) => [s.dataset.queue, s]));
    const groups = new Map();
    for (const c of m.chats) {
      if (!groups.has(c.queue)) groups.set(c.queue, []);
      groups.get(c.queue).push(c);
    }
    const queues = [...groups.keys()].sort();
    queues.forEach((q, i) => {
      let sec = oldSecs.get(q);
      if (!sec) {
        sec = el("section", { class: "queue-group", "data-testid": "desk-queue", "data-queue": q });
        sec.append(el("h3", {}, q));
      }
      place(list, sec, i);
      groups.get(q).forEach((c, j) => place(sec, chatEntry(c, old.get(c.id)), j + 1));
      while (sec.children.length > groups.get(q).length + 1) sec.lastElementChild.remove();
    });
    while (list.children.length > queues.length) list.lastElementChild.remove();
    empty.hidden = m.chats.length > 0;
    showConversation();
  }

  // place puts child at index i of parent unless it is there already.
  function place(parent, child, i) {
    if (parent.children[i] !== child) parent.insertBefore(child, parent.children[i] || null);
  }

  function chatEntry(c, a) {
    if (!a) {
      a = el("article", { "data-testid": "desk-chat", "data-conversation": c.id, tabindex: "0" });
      a.addEventListener("click", (e) => {
        if (e.target.closest("button, select")) return;
        selected = a.dataset.conversation;
        render(snap);
      });
      const head = el("header");
      head.append(el("span", { class: "queue-name", "data-testid": "desk-chat-queue" }),
        el("span", { class: "customer" }), el("span", { class: "state", "data-testid": "desk-chat-state" }));
      const attrs = el("dl", { "data-testid": "desk-chat-attributes" });
      const last = el("p", { class: "last" });
      const actions = el("div", { class: "actions" });
      const join = el("button", { type: "button", "data-testid": "desk-join" }, "Join");
      const picker = el("select", { "data-testid": "desk-transfer-queue", "aria-label": "Transfer to a queue or an agent" });
      const transfer = el("button", { type: "button", "data-testid": "desk-transfer" }, "Transfer");
      const close = el("button", { type: "button", "data-testid": "desk-close" }, "Close");
      join.addEventListener("click", () => {
        selected = a.dataset.conversation;
        // An offered chat is accepted by the agent it is offered to.
        const agent = a.dataset.state === "offered" ? a.dataset.agent : agentSel.value;
        post({ type: "join", conversation: a.dataset.conversation, agent: agent });
      });
      transfer.addEventListener("click", () => {
        const opt = picker.selectedOptions[0];
        if (!picker.value || !opt) { say("Pick a queue or an agent to transfer to", true); return; }
        if (opt.dataset.kind === "agent") post({ type: "transfer", conversation: a.dataset.conversation, agent: opt.dataset.name });
        else post({ type: "transfer", conversation: a.dataset.conversation, queue: picker.value });
      });
      close.addEventListener("click", () => post({ type: "close", conversation: a.dataset.conversation }));
      actions.append(join, picker, transfer, close);
      a.append(head, attrs, last, actions);
    }
    a.dataset.state = c.state;
    a.dataset.queue = c.queue;
    a.dataset.agent = c.agent || "";
    a.classList.toggle("selected", c.id === selected);
    a.querySelector(".queue-name").textContent = c.queue;
    a.querySelector(".customer").textContent = c.customer + " · since " + c.since;
    a.querySelector(".state").textContent = stateText(c);
    const dl = a.querySelector("dl");
    dl.replaceChildren();
    for (const at of c.attributes) dl.append(el("dt", {}, at.key), el("dd", {}, at.value));
    const lastMsg = [...c.messages].reverse().find((x) => x.from === "customer");
    a.querySelector(".last").textContent = lastMsg ? "“" + lastMsg.text + "”" : "";
    // The picker offers the other queues (value: the queue's name) and the
    // other agents (value "agent:NAME").
    const picker = a.querySelector("select");
    const queues = snap.queues.filter((q) => q !== c.queue);
    const agents = snap.agents.filter((n) => n !== c.agent);
    const want = [...queues, ...agents.map((n) => "agent:" + n)];
    if (picker.options.length !== want.length + 1 || [...picker.options].slice(1).some((o, i) => o.value !== want[i])) {
      const keep = picker.value;
      const qg = el("optgroup", { label: "Queues" });
      qg.append(...queues.map((q) => el("option", { value: q, "data-kind": "queue" }, q)));
      const ag = el("optgroup", { label: "Agents" });
      ag.append(...agents.map((n) => el("option", { value: "agent:" + n, "data-kind": "agent", "data-name": n }, n)));
      picker.replaceChildren(el("option", { value: "" }, "Transfer to…"), qg, ag);
      if (want.includes(keep)) picker.value = keep;
    }
    const join = a.querySelector("[data-testid=desk-join]");
    join.disabled = c.state !== "queued" && c.state !== "offered";
    join.textContent = c.state === "offered" ? "Join as " + c.agent : "Join";
    a.querySelector("[data-testid=desk-transfer]").disabled = c.state !== "agent";
    a.querySelector("[data-testid=desk-close]").disabled = c.state !== "agent";
    picker.disabled = c.state !== "agent";
    return a;
  }

  // stateText says who has a chat: "with Alice", "waiting for Bob" (offered
  // to Bob, who has yet to join) or "waiting" (in the queue).
  function stateText(c) {
    if (c.state === "agent") return "with " + c.agent;
    if (c.state === "offered") return "waiting for " + c.agent;
    return "waiting";
  }

  function showConversation() {
    const c = snap.chats.find((x) => x.id === selected);
    log.replaceChildren();
    if (!c) {
      title.textContent = "Select a chat";
      input.disabled = true;
      replies.disabled = true;
      return;
    }
    title.textContent = c.customer + " · " + c.queue + " · " + stateText(c);
    for (const msg of c.messages) {
      const li = el("li", { "data-role": msg.from === "customer" ? "user" : msg.from });
      if (msg.name && msg.from === "agent") li.append(el("span", { class: "name" }, msg.name));
      li.append(el("span", { class: "text" }, msg.text));
      if (msg.replies && msg.replies.length) li.append(el("span", { class: "replies" }, " [" + msg.replies.join(" | ") + "]"));
      log.append(li);
    }
    input.disabled = c.state !== "agent";
    replies.disabled = input.disabled;
    if (log.lastElementChild) log.lastElementChild.scrollIntoView({ block: "end" });
  }

  $("[data-testid=desk-form]").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = input.value;
    if (!text.trim()) return;
    if (!selected) { say("Select a chat first", true); return; }
    const qr = replies.value.split(",").map((r) => r.trim()).filter(Boolean);
    post({ type: "say", conversation: selected, text: text, replies: qr });
    input.value = "";
    replies.value = "";
    input.focus();
  });

  connect();
})();
