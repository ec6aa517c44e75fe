// The results grid: a virtualised table (only the visible rows are in the
// DOM) with the column types in the header and click-to-sort.
import { h, cellText } from "./util.js";
import { isNumericType } from "./trino.js";

const ROW_H = 26;
const OVERSCAN = 12;

export class Grid {
  constructor(container) {
    this.container = container;
    this.columns = [];
    this.rows = [];
    this.order = [];
    this.sort = null; // {col, dir: 1|-1}
    this.onSort = null;
  }

  // view returns the rows in the order shown.
  view() {
    return this.order.map((i) => this.rows[i]);
  }

  set(columns, rows) {
    this.columns = columns || [];
    this.rows = rows || [];
    this.sort = null;
    this.order = this.rows.map((_, i) => i);
    this.build();
  }

  build() {
    this.container.replaceChildren();
    if (!this.columns.length) {
      this.container.append(h("div", { class: "empty" }, "The statement returned no columns."));
      return;
    }
    const numeric = this.columns.map((c) => isNumericType(c.type));
    const widths = this.columns.map((c, j) => {
      let w = Math.max(c.name.length, (c.type || "").length * 0.85 + 2);
      for (let i = 0; i < Math.min(this.rows.length, 400); i++) {
        const v = this.rows[i][j];
        w = Math.max(w, v == null ? 4 : cellText(v).length);
      }
      return Math.round(Math.min(Math.max(w, 5), 48) * 7.6 + 28);
    });
    const numW = Math.max(String(this.rows.length).length * 8 + 20, 44);
    const total = numW + widths.reduce((a, b) => a + b, 0);

    const colgroup = h("colgroup", {}, h("col", { style: `width:${numW}px` }), widths.map((w) => h("col", { style: `width:${w}px` })));
    this.headCells = this.columns.map((c, j) =>
      h(
        "th",
        { class: numeric[j] ? "num" : "", title: `${c.name} ${c.type}`, dataset: { col: j }, onclick: () => this.toggleSort(j) },
        h("div", { class: "th-name" }, h("span", {}, c.name), h("span", { class: "sort" })),
        h("div", { class: "th-type" }, c.type || ""),
      ),
    );
    const thead = h("thead", {}, h("tr", {}, h("th", { class: "rownum" }, "#"), this.headCells));
    this.tbody = h("tbody");
    this.table = h("table", { class: "grid", style: `width:${total}px` }, colgroup, thead, this.tbody);
    this.scroller = h("div", { class: "grid-scroll" }, this.table);
    this.scroller.addEventListener("scroll", () => this.schedule(), { passive: true });
    this.container.append(this.scroller);
    this.numeric = numeric;
    this.lastRange = null;
    this.render();
    if (!this.rows.length) this.container.append(h("div", { class: "empty small" }, "No rows."));
  }

  schedule() {
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => {
      this.pending = 0;
      this.render();
    });
  }

  render() {
    const n = this.order.length;
    const top = this.scroller.scrollTop;
    const height = this.scroller.clientHeight || 600;
    const start = Math.max(0, Math.floor(top / ROW_H) - OVERSCAN);
    const end = Math.min(n, Math.ceil((top + height) / ROW_H) + OVERSCAN);
    if (this.lastRange && this.lastRange[0] === start && this.lastRange[1] === end) return;
    this.lastRange = [start, end];
    const frag = document.createDocumentFragment();
    frag.append(h("tr", { class: "pad", style: `height:${start * ROW_H}px` }));
    for (let k = start; k < end; k++) {
      const row = this.rows[this.order[k]];
      const tr = h("tr", { class: "row" }, h("td", { class: "rownum" }, String(k + 1)));
      for (let j = 0; j < this.columns.length; j++) {
        const v = row[j];
        if (v == null) tr.append(h("td", { class: "null" }, "NULL"));
        else {
          const s = cellText(v);
          tr.append(h("td", { class: this.numeric[j] ? "num" : "", title: s.length > 40 ? s : null }, s));
        }
      }
      frag.append(tr);
    }
    frag.append(h("tr", { class: "pad", style: `height:${(n - end) * ROW_H}px` }));
    this.tbody.replaceChildren(frag);
  }

  toggleSort(j) {
    if (this.sort?.col === j) this.sort = this.sort.dir === 1 ? { col: j, dir: -1 } : null;
    else this.sort = { col: j, dir: 1 };
    this.applySort();
    this.headCells.forEach((th, i) => {
      th.classList.toggle("sorted", this.sort?.col === i);
      th.querySelector(".sort").textContent = this.sort?.col === i ? (this.sort.dir === 1 ? "▲" : "▼") : "";
      th.setAttribute("aria-sort", this.sort?.col === i ? (this.sort.dir === 1 ? "ascending" : "descending") : "none");
    });
    this.lastRange = null;
    this.scroller.scrollTop = 0;
    this.render();
    this.onSort?.();
  }

  applySort() {
    this.order = this.rows.map((_, i) => i);
    if (!this.sort) return;
    const { col, dir } = this.sort;
    const num = this.numeric[col];
    const key = (v) => (v == null ? null : num ? Number(v) : typeof v === "object" ? JSON.stringify(v) : String(v));
    const keys = this.rows.map((r) => key(r[col]));
    const coll = new Intl.Collator(undefined, { numeric: true });
    this.order.sort((a, b) => {
      const x = keys[a];
      const y = keys[b];
      if (x === y) return a - b;
      if (x == null) return 1; // NULLs last either way
      if (y == null) return -1;
      const c = num ? x - y : coll.compare(x, y);
      return c === 0 ? a - b : c * dir;
    });
  }
}
