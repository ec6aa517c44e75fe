// A client for the Trino client REST protocol, the only way the console
// talks to the server: POST /v1/statement, then GET nextUri until it is
// absent, and DELETE nextUri to cancel.

const RETRY_STATUS = new Set([429, 502, 503, 504]);

export class TrinoClient {
  constructor({ user = "console", catalog = "quarry", schema = "default", source = "quarry-console" } = {}) {
    this.user = user;
    this.catalog = catalog;
    this.schema = schema;
    this.source = source;
    this.session = new Map(); // session properties set by SET SESSION
    this.onSchemaChange = null;
  }

  headers() {
    const h = {
      "Content-Type": "text/plain; charset=utf-8",
      "X-Trino-User": this.user,
      "X-Trino-Source": this.source,
      "X-Trino-Catalog": this.catalog,
    };
    if (this.schema) h["X-Trino-Schema"] = this.schema;
    if (this.session.size) {
      h["X-Trino-Session"] = [...this.session].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join(",");
    }
    return h;
  }

  // absorb applies the session changes a response asks the client to make.
  absorb(resp) {
    const get = (n) => resp.headers.get(`X-Trino-${n}`) ?? resp.headers.get(`X-Presto-${n}`);
    const schema = get("Set-Schema");
    if (schema && schema !== this.schema) {
      this.schema = schema;
      this.onSchemaChange?.(schema);
    }
    const catalog = get("Set-Catalog");
    if (catalog) this.catalog = catalog;
    for (const kv of splitList(get("Set-Session"))) {
      const i = kv.indexOf("=");
      if (i > 0) this.session.set(kv.slice(0, i).trim(), decodeURIComponent(kv.slice(i + 1).trim()));
    }
    for (const k of splitList(get("Clear-Session"))) this.session.delete(k.trim());
  }

  // query starts a statement; see Query.
  query(sql, opts = {}) {
    return new Query(this, sql, opts);
  }

  // rows runs a statement to its end and returns its rows; for the schema browser.
  async rows(sql) {
    const r = await this.query(sql, { maxRows: 100000 }).run();
    if (r.error) throw new QueryError(r.error);
    return r.rows;
  }
}

function splitList(v) {
  return v ? v.split(",").filter((s) => s.trim() !== "") : [];
}

export class QueryError extends Error {
  constructor(e) {
    super(e.message);
    this.info = e;
  }
}

// Query is one statement's run. run() resolves to
// {id, columns, rows, stats, state, error, truncated, elapsedMs}; it never
// rejects: protocol and network failures come back as error.
export class Query {
  constructor(client, sql, { maxRows = 50000, onProgress = null } = {}) {
    this.client = client;
    this.sql = sql;
    this.maxRows = maxRows;
    this.onProgress = onProgress;
    this.id = null;
    this.columns = null;
    this.rows = [];
    this.stats = null;
    this.error = null;
    this.state = "QUEUED";
    this.truncated = false;
    this.nextUri = null;
    this.cancelled = false;
    this.abort = null;
  }

  async run() {
    const started = performance.now();
    try {
      let page = await this.request("/v1/statement", { method: "POST", body: this.sql, headers: this.client.headers() });
      for (;;) {
        this.take(page);
        this.onProgress?.(this);
        if (page.error || !page.nextUri) break;
        this.nextUri = page.nextUri;
        if (this.cancelled) {
          await this.sendCancel();
          break;
        }
        if (this.rows.length >= this.maxRows) {
          this.truncated = true;
          await this.sendCancel();
          break;
        }
        page = await this.request(page.nextUri, { method: "GET" });
      }
      if (this.cancelled) this.state = "CANCELED";
      else if (this.error) this.state = "FAILED";
      else this.state = "FINISHED";
    } catch (e) {
      if (this.cancelled) {
        this.state = "CANCELED";
      } else {
        this.state = "FAILED";
        this.error = { message: String(e.message || e), errorName: "CONSOLE_ERROR" };
      }
    }
    this.nextUri = null;
    this.done = true;
    this.elapsedMs = this.stats?.elapsedTimeMillis ?? Math.round(performance.now() - started);
    return this;
  }

  take(page) {
    if (page.id) this.id = page.id;
    if (page.columns && !this.columns) this.columns = page.columns;
    if (page.data) {
      const room = this.maxRows - this.rows.length;
      if (page.data.length > room) {
        this.truncated = true;
        for (let i = 0; i < room; i++) this.rows.push(page.data[i]);
      } else {
        for (const r of page.data) this.rows.push(r);
      }
    }
    if (page.stats) {
      this.stats = page.stats;
      this.state = page.stats.state || this.state;
    }
    if (page.error) this.error = page.error;
    if (page.updateType) this.updateType = page.updateType;
    if (page.updateCount != null) this.updateCount = page.updateCount;
  }

  async request(url, init) {
    for (let attempt = 0; ; attempt++) {
      this.abort = new AbortController();
      const resp = await fetch(url, { ...init, signal: this.abort.signal, credentials: "same-origin" });
      this.client.absorb(resp);
      if (RETRY_STATUS.has(resp.status) && attempt < 8 && !this.cancelled) {
        await sleep(Math.min(100 * 2 ** attempt, 2000));
        continue;
      }
      const text = await resp.text();
      if (!resp.ok) {
        let msg = text.trim() || resp.statusText;
        try {
          const j = JSON.parse(text);
          if (j.error) return j;
          msg = j.message || msg;
        } catch {
          /* not JSON */
        }
        throw new Error(`HTTP ${resp.status}: ${msg}`);
      }
      try {
        return JSON.parse(text);
      } catch {
        throw new Error(`HTTP ${resp.status}: the server's answer is not JSON`);
      }
    }
  }

  // cancel stops the query: the page being fetched is abandoned and the
  // server is told with DELETE nextUri.
  cancel() {
    if (this.cancelled || this.done) return;
    this.cancelled = true;
    if (this.nextUri) {
      this.abort?.abort();
      this.sendCancel();
    }
    // Still waiting for the POST: run() sends the DELETE once it has a nextUri.
  }

  async sendCancel() {
    const uri = this.nextUri;
    if (!uri || this.sentCancel === uri) return;
    this.sentCancel = uri;
    try {
      await fetch(uri, { method: "DELETE", headers: { "X-Trino-User": this.client.user }, credentials: "same-origin" });
    } catch {
      /* the query ends on the server when the client goes away */
    }
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const NUMERIC = /^(tinyint|smallint|integer|int|bigint|real|double|decimal)/i;
export const isNumericType = (t) => NUMERIC.test(t || "");

// Athena's list price, which Quarry's stats quote: $5 per TB scanned, at
// least 10 MB per query.
export const ATHENA_MIN_BYTES = 10 * 1024 * 1024;
export function athenaCost(bytes) {
  return (Math.max(bytes || 0, ATHENA_MIN_BYTES) / 1e12) * 5;
}
