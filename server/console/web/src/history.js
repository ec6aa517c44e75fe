// Query history: kept in the page and in localStorage, newest first.
import { h, fmtMs, fmtInt, fmtBytes, timeAgo } from "./util.js";

const KEY = "quarry.console.history.v1";
const MAX = 200;

// summary is the statement on one line, without its leading comments.
function summary(sql) {
  const s = sql.replace(/^(\s*(--[^\n]*|\/\*[\s\S]*?\*\/))+/, "").replace(/\s+/g, " ").trim();
  return (s || sql).slice(0, 160);
}

export class History {
  constructor(list, countEl, { onPick }) {
    this.list = list;
    this.countEl = countEl;
    this.onPick = onPick;
    this.entries = [];
    try {
      this.entries = JSON.parse(localStorage.getItem(KEY) || "[]");
    } catch {
      this.entries = [];
    }
    // A page closed mid-query left RUNNING entries: they are not running now.
    for (const e of this.entries) if (e.state === "RUNNING" || e.state === "QUEUED") e.state = "ABANDONED";
    this.render();
    setInterval(() => this.render(), 60000);
  }

  add(entry) {
    const e = { key: `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`, ts: Date.now(), state: "RUNNING", ...entry };
    this.entries.unshift(e);
    this.entries.length = Math.min(this.entries.length, MAX);
    this.save();
    return e;
  }

  update(e, fields) {
    Object.assign(e, fields);
    this.save();
  }

  clear() {
    this.entries = [];
    this.save();
  }

  save() {
    try {
      localStorage.setItem(KEY, JSON.stringify(this.entries));
    } catch {
      /* storage full or disabled: the in-page list still works */
    }
    this.render();
  }

  render() {
    this.countEl.textContent = this.entries.length ? String(this.entries.length) : "";
    if (!this.entries.length) {
      this.list.replaceChildren(h("li", { class: "empty small" }, "Queries you run appear here."));
      return;
    }
    this.list.replaceChildren(
      ...this.entries.map((e) =>
        h(
          "li",
          { class: `hist ${e.state.toLowerCase()}`, title: e.error || e.sql, onclick: () => this.onPick(e) },
          h(
            "div",
            { class: "hist-head" },
            h("span", { class: `state ${e.state.toLowerCase()}` }, e.state),
            h("span", { class: "muted" }, timeAgo(e.ts)),
          ),
          h("code", { class: "hist-sql" }, summary(e.sql)),
          h(
            "div",
            { class: "hist-meta muted" },
            e.elapsedMs != null ? fmtMs(e.elapsedMs) : "",
            e.rows != null ? ` · ${fmtInt(e.rows)} rows` : "",
            e.bytes != null ? ` · ${fmtBytes(e.bytes)}` : "",
          ),
        ),
      ),
    );
  }
}
