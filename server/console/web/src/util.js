// Small helpers: DOM building, number formatting, CSV, statement splitting.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function fmtBytes(n) {
  if (n == null) return "–";
  const units = ["B", "KB", "MB", "GB", "TB", "PB"];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 2 : v < 100 ? 1 : 0)} ${units[i]}`;
}

export function fmtMs(ms) {
  if (ms == null) return "–";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(2)} s`;
  const m = Math.floor(ms / 60000);
  return `${m} min ${Math.round((ms % 60000) / 1000)} s`;
}

export const fmtInt = (n) => (n == null ? "–" : Number(n).toLocaleString("en-US"));

export function fmtUSD(x) {
  if (x >= 0.01) return `$${x.toFixed(2)}`;
  return `$${x.toFixed(6)}`;
}

export function timeAgo(ts) {
  const s = Math.round((Date.now() - ts) / 1000);
  if (s < 60) return "just now";
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(ts).toLocaleDateString();
}

// cellText renders a value as the grid and the CSV show it; arrays, maps and
// rows arrive as JSON and are shown as JSON.
export function cellText(v) {
  if (v == null) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

export function toCSV(columns, rows) {
  const q = (s) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const out = [columns.map((c) => q(c.name)).join(",")];
  for (const r of rows) out.push(r.map((v) => q(cellText(v))).join(","));
  return out.join("\r\n") + "\r\n";
}

export function quoteIdent(s) {
  return /^[a-z_][a-z0-9_]*$/.test(s) ? s : `"${s.replace(/"/g, '""')}"`;
}

export const quoteLiteral = (s) => `'${String(s).replace(/'/g, "''")}'`;

// splitStatements splits SQL text at semicolons outside quotes and comments.
// Each statement is {from, to, text}: text is trimmed and has no ';', and
// from is the document offset of its first character.
export function splitStatements(src) {
  const out = [];
  let start = 0;
  const push = (end) => {
    const raw = src.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (text && !isOnlyComments(text)) out.push({ from: start + lead, to: start + lead + text.length, text });
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === "'" || c === '"' || c === "`") {
      const j = src.indexOf(c, i + 1);
      i = j < 0 ? src.length : j;
      // a doubled quote is an escaped quote: the loop re-enters the string
    } else if (c === "-" && src[i + 1] === "-") {
      const j = src.indexOf("\n", i);
      i = j < 0 ? src.length : j;
    } else if (c === "/" && src[i + 1] === "*") {
      const j = src.indexOf("*/", i + 2);
      i = j < 0 ? src.length : j + 1;
    } else if (c === ";") {
      push(i);
      start = i + 1;
    }
  }
  push(src.length);
  return out;
}

function isOnlyComments(text) {
  return text.replace(/--[^\n]*/g, "").replace(/\/\*[\s\S]*?\*\//g, "").trim() === "";
}
