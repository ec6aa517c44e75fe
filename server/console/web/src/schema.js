// The schema browser: schemas (SHOW SCHEMAS) → tables
// (information_schema.tables) → columns with types (information_schema.columns)
// and, for partitioned tables, their partitions (SHOW PARTITIONS).
import { h, quoteIdent, quoteLiteral } from "./util.js";

export class SchemaBrowser {
  constructor(root, filterEl, client, { onInsert, onPreview, onError }) {
    Object.assign(this, { root, filterEl, client, onInsert, onPreview, onError });
    this.schemas = []; // [{name, open, tables: null|[{name, type, open, columns, partitions, partsOpen}]}]
    filterEl.addEventListener("input", () => this.applyFilter());
  }

  async load() {
    this.root.replaceChildren(h("div", { class: "muted small pad" }, "Loading…"));
    let names;
    try {
      names = (await this.client.rows("SHOW SCHEMAS")).map((r) => r[0]);
    } catch (e) {
      this.root.replaceChildren(h("div", { class: "tree-error" }, `Cannot list schemas: ${e.message}`));
      this.onError?.(e);
      return [];
    }
    const prev = new Map(this.schemas.map((s) => [s.name, s]));
    this.schemas = names.map((name) => ({ name, open: prev.get(name)?.open ?? false, tables: null }));
    this.render();
    for (const s of this.schemas) if (s.open) this.loadTables(s);
    return names;
  }

  async loadTables(s) {
    try {
      const rows = await this.client.rows(
        `SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = ${quoteLiteral(s.name)} ORDER BY table_name`,
      );
      s.tables = rows.map(([name, type]) => ({ name, type, open: false, columns: null, partitions: null }));
    } catch (e) {
      s.error = e.message;
      s.tables = [];
    }
    this.render();
  }

  async loadColumns(s, t) {
    try {
      const rows = await this.client.rows(
        "SELECT column_name, data_type, extra_info FROM information_schema.columns " +
          `WHERE table_schema = ${quoteLiteral(s.name)} AND table_name = ${quoteLiteral(t.name)} ORDER BY ordinal_position`,
      );
      t.columns = rows.map(([name, type, extra]) => ({ name, type, partitionKey: extra === "partition key" }));
    } catch (e) {
      t.error = e.message;
      t.columns = [];
    }
    this.render();
  }

  async loadPartitions(s, t) {
    try {
      const rows = await this.client.rows(`SHOW PARTITIONS FROM ${quoteIdent(s.name)}.${quoteIdent(t.name)}`);
      t.partitions = rows.map((r) => r[0]);
    } catch (e) {
      t.partitions = [];
      t.partError = e.message;
    }
    this.render();
  }

  applyFilter() {
    const f = this.filterEl.value.trim().toLowerCase();
    if (f) for (const s of this.schemas) if (!s.tables) this.loadTables(s);
    this.render();
  }

  render() {
    const f = this.filterEl.value.trim().toLowerCase();
    const nodes = [];
    for (const s of this.schemas) {
      const tables = (s.tables || []).filter((t) => !f || t.name.toLowerCase().includes(f) || s.name.toLowerCase().includes(f));
      if (f && s.tables && !tables.length) continue;
      const open = s.open || (f && tables.length > 0);
      const li = h(
        "li",
        { class: "node schema" },
        h(
          "div",
          {
            class: `row ${open ? "open" : ""}`,
            dataset: { schema: s.name },
            onclick: () => {
              s.open = !open;
              if (s.open && !s.tables) this.loadTables(s);
              this.render();
            },
          },
          h("span", { class: "twisty" }),
          h("span", { class: "ico db" }),
          h("span", { class: "name" }, s.name),
          s.tables ? h("span", { class: "count" }, String(s.tables.length)) : null,
        ),
      );
      if (open) {
        const ul = h("ul");
        if (!s.tables) ul.append(h("li", { class: "muted small leaf" }, "Loading…"));
        else if (s.error) ul.append(h("li", { class: "tree-error leaf" }, s.error));
        else if (!tables.length) ul.append(h("li", { class: "muted small leaf" }, "No tables"));
        for (const t of tables) ul.append(this.tableNode(s, t));
        li.append(ul);
      }
      nodes.push(li);
    }
    this.root.replaceChildren(h("ul", { class: "tree-root" }, nodes));
  }

  tableNode(s, t) {
    const qualified = `${quoteIdent(s.name)}.${quoteIdent(t.name)}`;
    const li = h(
      "li",
      { class: "node table" },
      h(
        "div",
        {
          class: `row ${t.open ? "open" : ""}`,
          dataset: { table: `${s.name}.${t.name}` },
          title: `${qualified} (${t.type})`,
          onclick: () => {
            t.open = !t.open;
            if (t.open && !t.columns) this.loadColumns(s, t);
            this.render();
          },
          ondblclick: (e) => {
            e.preventDefault();
            this.onInsert(qualified);
          },
        },
        h("span", { class: "twisty" }),
        h("span", { class: `ico ${t.type === "VIEW" ? "vw" : "tbl"}` }),
        h("span", { class: "name" }, t.name),
        h("span", { class: "actions" },
          h("button", { class: "mini", title: "Insert the name into the editor", onclick: (e) => (e.stopPropagation(), this.onInsert(qualified)) }, "＋"),
          h("button", { class: "mini", title: `SELECT * FROM ${qualified} LIMIT 100`, onclick: (e) => (e.stopPropagation(), this.onPreview(qualified)) }, "▶"),
        ),
      ),
    );
    if (!t.open) return li;
    const ul = h("ul");
    if (!t.columns) ul.append(h("li", { class: "muted small leaf" }, "Loading…"));
    else if (t.error) ul.append(h("li", { class: "tree-error leaf" }, t.error));
    for (const c of t.columns || []) {
      ul.append(
        h(
          "li",
          { class: "leaf col", title: `${c.name} ${c.type}${c.partitionKey ? " (partition key)" : ""}`, ondblclick: () => this.onInsert(quoteIdent(c.name)) },
          h("span", { class: `ico ${c.partitionKey ? "pkey" : "colicon"}` }),
          h("span", { class: "name" }, c.name),
          h("span", { class: "type" }, c.type),
        ),
      );
    }
    if (t.columns?.some((c) => c.partitionKey)) {
      const pli = h(
        "li",
        { class: "node parts" },
        h(
          "div",
          {
            class: `row ${t.partsOpen ? "open" : ""}`,
            onclick: () => {
              t.partsOpen = !t.partsOpen;
              if (t.partsOpen && !t.partitions) this.loadPartitions(s, t);
              this.render();
            },
          },
          h("span", { class: "twisty" }),
          h("span", { class: "ico part" }),
          h("span", { class: "name" }, "Partitions"),
          t.partitions ? h("span", { class: "count" }, String(t.partitions.length)) : null,
        ),
      );
      if (t.partsOpen) {
        const pl = h("ul");
        if (!t.partitions) pl.append(h("li", { class: "muted small leaf" }, "Loading…"));
        else if (t.partError) pl.append(h("li", { class: "tree-error leaf" }, t.partError));
        else if (!t.partitions.length) pl.append(h("li", { class: "muted small leaf" }, "No partitions"));
        for (const p of (t.partitions || []).slice(0, 500)) pl.append(h("li", { class: "leaf partition", title: p }, h("span", { class: "name mono" }, p)));
        if (t.partitions?.length > 500) pl.append(h("li", { class: "muted small leaf" }, `… ${t.partitions.length - 500} more`));
        pli.append(pl);
      }
      ul.append(pli);
    }
    li.append(ul);
    return li;
  }
}
