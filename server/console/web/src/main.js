// The console's wiring: editor, schema browser, results, chart, history.
// Everything goes to the server through the Trino client protocol.
import "./style.css";
import { TrinoClient, athenaCost } from "./trino.js";
import { createEditor } from "./editor.js";
import { Grid } from "./grid.js";
import { ChartView } from "./chart.js";
import { History } from "./history.js";
import { SchemaBrowser } from "./schema.js";
import { SAMPLES } from "./samples.js";
import { h, fmtBytes, fmtMs, fmtInt, fmtUSD, toCSV, splitStatements } from "./util.js";

const $ = (id) => document.getElementById(id);
const store = {
  get: (k, d) => {
    try {
      return localStorage.getItem(`quarry.console.${k}`) ?? d;
    } catch {
      return d;
    }
  },
  set: (k, v) => {
    try {
      localStorage.setItem(`quarry.console.${k}`, v);
    } catch {
      /* disabled storage */
    }
  },
};

const client = new TrinoClient({ schema: store.get("schema", "default") });
let completionNS = {};
let current = null; // the running Query
let last = null; // the last finished Query

const editor = createEditor($("editor"), {
  doc: store.get("draft", "-- Press Ctrl-Enter to run the statement at the cursor.\nSHOW SCHEMAS"),
  onRun: () => run(),
  onChange: debounce((s) => store.set("draft", s), 400),
});

const grid = new Grid($("grid-view"));
const chart = new ChartView({ canvas: $("chart"), typeEl: $("chart-type"), xEl: $("chart-x"), yEl: $("chart-y"), emptyEl: $("chart-empty") });
grid.onSort = () => {
  chart.setRows(grid.view());
  if (view === "chart-view") chart.draw();
};

const history = new History($("history"), $("history-count"), {
  onPick: (e) => {
    editor.text = e.sql;
    editor.focus();
  },
});
$("history-clear").addEventListener("click", () => history.clear());

const browser = new SchemaBrowser($("tree"), $("schema-filter"), client, {
  onInsert: (text) => {
    const v = editor.view;
    const r = v.state.selection.main;
    v.dispatch({ changes: { from: r.from, to: r.to, insert: text }, selection: { anchor: r.from + text.length } });
    v.focus();
  },
  onPreview: (name) => execute(`SELECT * FROM ${name} LIMIT 100`, {}),
});

// --- schemas and completion -------------------------------------------------

async function loadCatalog() {
  const names = await browser.load();
  const sel = $("schema-select");
  const all = names.includes(client.schema) ? names : [...names, client.schema];
  sel.replaceChildren(...all.map((n) => h("option", { value: n, selected: n === client.schema }, n)));
  try {
    const rows = await client.rows(
      "SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns " +
        "WHERE table_schema <> 'information_schema' ORDER BY table_schema, table_name, ordinal_position",
    );
    const ns = {};
    for (const [s, t, c, type] of rows) {
      ns[s] ??= {};
      (ns[s][t] ??= []).push({ label: c, type: "property", detail: type });
    }
    completionNS = ns;
    editor.setSchema(completionNS, client.schema);
  } catch {
    /* completion of names is a nicety: keywords still complete */
  }
}

function setSchema(s) {
  client.schema = s;
  store.set("schema", s);
  const sel = $("schema-select");
  if (![...sel.options].some((o) => o.value === s)) sel.append(h("option", { value: s }, s));
  sel.value = s;
  editor.setSchema(completionNS, s);
}
$("schema-select").addEventListener("change", (e) => setSchema(e.target.value));
client.onSchemaChange = setSchema;
$("schema-refresh").addEventListener("click", () => loadCatalog());

// --- running ----------------------------------------------------------------

// statementToRun is the selection, else the statement at the cursor.
function statementToRun() {
  const sel = editor.selection();
  if (sel) {
    const lead = sel.text.length - sel.text.trimStart().length;
    const text = sel.text.trim().replace(/;\s*$/, "");
    return text ? { from: sel.from + lead, text } : null;
  }
  const stmts = splitStatements(editor.text);
  if (!stmts.length) return null;
  const cur = editor.cursor();
  let pick = stmts[0];
  for (const s of stmts) if (s.from <= cur) pick = s;
  for (const s of stmts) if (cur >= s.from && cur <= s.to + 1) pick = s;
  return pick;
}

function run() {
  store.set("draft", editor.text);
  const stmt = statementToRun();
  if (!stmt) return;
  execute(stmt.text, { base: stmt.from });
}

async function execute(sql, { base = null, chartSpec = null }) {
  if (current) return;
  hideError();
  editor.clearError();
  const entry = history.add({ sql });
  const q = client.query(sql, { onProgress: () => showStats(q) });
  current = q;
  q.startedAt = performance.now();
  setRunning(true);
  showStats(q);
  const ticker = setInterval(() => showStats(q), 100);
  await q.run();
  clearInterval(ticker);
  current = null;
  last = q;
  setRunning(false);
  showStats(q);
  history.update(entry, {
    state: q.state,
    elapsedMs: q.elapsedMs,
    rows: q.columns ? q.rows.length : null,
    bytes: q.stats?.processedBytes ?? null,
    queryId: q.id,
    error: q.error ? q.error.message : undefined,
  });
  if (q.state === "FAILED") {
    showError(q, base);
    clearResult();
    return;
  }
  showResult(q);
  if (chartSpec && q.columns) {
    chart.choose(chartSpec);
    setView("chart-view");
  }
  if (/^\s*(create|drop|alter|msck|use)\b/i.test(sql)) loadCatalog();
}

function cancel() {
  current?.cancel();
}

function setRunning(on) {
  $("run").disabled = on;
  $("cancel").disabled = !on;
  document.body.classList.toggle("running", on);
}

$("run").addEventListener("click", () => run());
$("cancel").addEventListener("click", () => cancel());
document.addEventListener("keydown", (e) => {
  if ((e.ctrlKey || e.metaKey) && e.key === "Enter" && !e.defaultPrevented) {
    e.preventDefault();
    run();
  } else if (e.key === "Escape" && current) {
    cancel();
  }
});

// --- stats, results, errors -----------------------------------------------

function showStats(q) {
  const s = q.stats || {};
  const elapsed = s.elapsedTimeMillis ?? (q.done ? q.elapsedMs : performance.now() - q.startedAt);
  const bytes = s.processedBytes ?? 0;
  const state = q.done ? q.state : s.state || q.state;
  const item = (label, value, title) => h("span", { class: "stat", title }, h("span", { class: "label" }, label), value);
  $("stats").replaceChildren(
    h("span", { class: `state ${state.toLowerCase()}`, id: "query-state", title: q.id ? `Query ${q.id}` : null }, state),
    item("Time", fmtMs(elapsed), "Elapsed time"),
    item("Rows", fmtInt(s.processedRows ?? 0), "Rows read by the query"),
    item("Scanned", fmtBytes(bytes), `${fmtInt(bytes)} bytes read`),
    item("Cost", state === "FAILED" ? "–" : fmtUSD(athenaCost(bytes)), "At Athena's price: $5 per TB scanned, 10 MB minimum per query; failed queries are free"),
  );
}

function showResult(q) {
  $("download").disabled = !q.columns;
  if (!q.columns) {
    grid.set([], []);
    const msg = q.updateType ? `${q.updateType}${q.updateCount != null ? `: ${fmtInt(q.updateCount)} rows` : ""}` : "Done.";
    $("grid-view").replaceChildren(h("div", { class: "empty" }, q.state === "CANCELED" ? "Cancelled." : msg));
    $("result-info").textContent = "";
    chart.set([], []);
    return;
  }
  grid.set(q.columns, q.rows);
  chart.set(q.columns, grid.view());
  let info = `${fmtInt(q.rows.length)} rows · ${q.columns.length} columns`;
  if (q.truncated) info += ` · first ${fmtInt(q.rows.length)} shown`;
  if (q.state === "CANCELED") info += " · cancelled";
  $("result-info").textContent = info;
  if (view === "chart-view") chart.draw();
}

function clearResult() {
  grid.set([], []);
  chart.set([], []);
  $("grid-view").replaceChildren();
  $("download").disabled = true;
  $("result-info").textContent = "";
  setView("grid-view");
}

function showError(q, base) {
  const e = q.error;
  const loc = e.errorLocation;
  const box = $("error");
  box.replaceChildren(
    h("div", { class: "error-head" }, h("strong", {}, e.errorName || "ERROR"), e.errorType ? h("span", { class: "muted" }, ` ${e.errorType}`) : null),
    h("pre", { class: "error-msg" }, e.message),
  );
  if (loc && base != null) {
    const at = editor.markError(base, loc.lineNumber, loc.columnNumber, e.message);
    box.append(
      h("button", { class: "link", id: "error-goto", onclick: () => editor.markError(base, loc.lineNumber, loc.columnNumber, e.message) }, `Go to line ${at.line}, column ${at.column}`),
    );
  }
  box.classList.remove("hidden");
  $("result-info").textContent = "";
}

function hideError() {
  $("error").classList.add("hidden");
}

$("download").addEventListener("click", () => {
  if (!last?.columns) return;
  const blob = new Blob([toCSV(last.columns, grid.view())], { type: "text/csv;charset=utf-8" });
  const a = h("a", { href: URL.createObjectURL(blob), download: `quarry-${last.id || "result"}.csv` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
});

// --- views, tabs, samples, splitter ----------------------------------------

let view = "grid-view";
function setView(v) {
  view = v;
  for (const id of ["grid-view", "chart-view"]) $(id).classList.toggle("hidden", id !== v);
  $("tab-grid").classList.toggle("active", v === "grid-view");
  $("tab-chart").classList.toggle("active", v === "chart-view");
  if (v === "chart-view") chart.draw();
}
$("tab-grid").addEventListener("click", () => setView("grid-view"));
$("tab-chart").addEventListener("click", () => setView("chart-view"));

for (const b of document.querySelectorAll(".sidebar .tab")) {
  b.addEventListener("click", () => {
    for (const x of document.querySelectorAll(".sidebar .tab")) x.classList.toggle("active", x === b);
    for (const p of document.querySelectorAll(".sidebar .pane")) p.classList.toggle("hidden", p.id !== b.dataset.pane);
  });
}

const samples = $("samples");
SAMPLES.forEach((s, i) => samples.append(h("option", { value: i }, s.title)));
samples.addEventListener("change", () => {
  const s = SAMPLES[Number(samples.value)];
  samples.value = "";
  if (!s || current) return;
  editor.text = s.sql;
  execute(s.sql, { base: 0, chartSpec: s.chart });
});

(() => {
  const ed = $("editor");
  const saved = Number(store.get("editorHeight", 0));
  if (saved) ed.style.height = `${saved}px`;
  $("splitter").addEventListener("pointerdown", (e) => {
    e.preventDefault();
    const startY = e.clientY;
    const startH = ed.getBoundingClientRect().height;
    const move = (ev) => {
      const max = window.innerHeight - 220;
      ed.style.height = `${Math.max(80, Math.min(max, startH + ev.clientY - startY))}px`;
    };
    const up = () => {
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
      store.set("editorHeight", Math.round(ed.getBoundingClientRect().height));
      if (view === "chart-view") chart.chart?.resize();
    };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
  });
})();

function debounce(fn, ms) {
  let t;
  return (...a) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...a), ms);
  };
}

window.addEventListener("pagehide", () => store.set("draft", editor.text));
showStatsIdle();
function showStatsIdle() {
  $("stats").replaceChildren(h("span", { class: "muted small" }, "Ready"));
}
loadCatalog();
editor.focus();
