// Runs the official Trino JavaScript client (npm trino-client) against a
// quarry server: QUARRY_URL is the server, QUARRY_DATA the directory of the
// test tables (people/ as CSV, items/ as JSON). Driven by
// server/jsclient_test.go; prints "N passed, N failed".
'use strict';
const assert = require('node:assert/strict');
const { Trino, BasicAuth } = require('trino-client');

const server = process.env.QUARRY_URL;
const data = process.env.QUARRY_DATA;
const trino = Trino.create({ server, catalog: 'quarry', schema: 'default', auth: new BasicAuth('js-tester'), source: 'quarry-jsclient-test' });

// collect runs a statement to the end and returns columns, rows and the
// last response (with error, if any).
async function collect(query) {
  const iter = await trino.query(query);
  let columns, last, rows = [];
  for await (const r of iter) {
    last = r;
    if (r.columns) columns = r.columns;
    if (r.data) rows.push(...r.data);
    if (r.error) break;
  }
  return { columns, rows, last };
}

async function ok(query) {
  const res = await collect(query);
  if (res.last && res.last.error) throw new Error(`${query}: ${res.last.error.errorName}: ${res.last.error.message}`);
  return res;
}

const tests = {
  async ddl() {
    await ok('CREATE SCHEMA js');
    await ok(`CREATE EXTERNAL TABLE js.people (id int, name string, amount decimal(10,2)) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION '${data}/people' TBLPROPERTIES ('skip.header.line.count'='1')`);
    const { rows } = await ok('SELECT count(*) FROM js.people');
    assert.deepEqual(rows, [[1100]]);
  },

  async rows() {
    const { columns, rows } = await ok('SELECT id, name, amount FROM sales.people WHERE id <= 3 ORDER BY id');
    assert.deepEqual(columns.map(c => c.name + ':' + c.type), ['id:integer', 'name:varchar', 'amount:decimal(10,2)']);
    assert.deepEqual(columns[2].typeSignature, { rawType: 'decimal', arguments: [{ kind: 'LONG', value: 10 }, { kind: 'LONG', value: 2 }] });
    assert.deepEqual(rows, [[1, 'name1', '3.01'], [2, 'name2', '6.02'], [3, 'name3', null]]);
  },

  async types() {
    const { columns, rows } = await ok('SELECT price, d, ts, tags, attrs, pt FROM sales.items');
    assert.deepEqual(columns.map(c => c.type), ['decimal(15,2)', 'date', 'timestamp(3)', 'array(varchar)', 'map(varchar, integer)', 'row(x integer, y varchar)']);
    assert.deepEqual(rows[0], ['12.50', '2024-01-02', '2024-01-02 03:04:05.123', ['a', 'b'], { k: 1, z: 2 }, [1, 'u']]);
    assert.deepEqual(rows[1], ['-0.05', '1999-12-31', '1999-12-31 23:59:59.000', [], {}, [2, null]]);
    assert.equal(columns[5].typeSignature.arguments[0].kind, 'NAMED_TYPE');
    assert.equal(columns[5].typeSignature.arguments[0].value.fieldName.name, 'x');
  },

  async largeResult() {
    const iter = await trino.query('SELECT a.id, b.id FROM sales.people a CROSS JOIN sales.people b');
    let n = 0, pages = 0;
    for await (const r of iter) {
      if (r.error) throw new Error(r.error.message);
      if (r.data) { n += r.data.length; pages++; }
    }
    assert.equal(n, 1100 * 1100);
    assert.ok(pages > 1, `one page of ${n} rows`);
  },

  async cancel() {
    const iter = await trino.query('SELECT count(*) FROM sales.people a CROSS JOIN sales.people b CROSS JOIN sales.people c');
    // The submission's answer holds the query id. (The iterator's next()
    // skips empty pages, so it would only return once count(*) is done.)
    const id = iter.iter.queryResult.id;
    assert.match(id, /^\d{8}_\d{6}_\d{5}_[a-z]{5}$/);
    await new Promise(resolve => setTimeout(resolve, 300));
    await trino.cancel(id);
    let last;
    for await (const r of iter) last = r;
    assert.equal(last.error && last.error.errorName, 'USER_CANCELED');
    const info = await trino.queryInfo(id);
    assert.equal(info.state, 'FAILED');
    assert.equal(info.errorCode.name, 'USER_CANCELED');
  },

  async syntaxError() {
    const { last } = await collect('SELECT *\nFROM');
    assert.equal(last.error.errorName, 'SYNTAX_ERROR');
    assert.equal(last.error.errorType, 'USER_ERROR');
    assert.deepEqual(last.error.errorLocation, { lineNumber: 2, columnNumber: 5 });
    const r2 = await collect('SELECT nosuch FROM sales.people');
    assert.equal(r2.last.error.errorName, 'COLUMN_NOT_FOUND');
  },

  async discovery() {
    assert.deepEqual((await ok('SHOW CATALOGS')).rows, [['quarry']]);
    assert.deepEqual((await ok('SHOW SCHEMAS')).rows.map(r => r[0]).filter(s => s !== 'js'), ['default', 'information_schema', 'sales']);
    assert.deepEqual((await ok('SHOW TABLES FROM sales')).rows, [['items'], ['people']]);
    const cols = await ok("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'sales' AND table_name = 'people' ORDER BY ordinal_position");
    assert.deepEqual(cols.rows, [['id', 'integer'], ['name', 'varchar'], ['amount', 'decimal(10,2)']]);
    const d = await ok('DESCRIBE sales.people');
    assert.deepEqual(d.columns.map(c => c.name), ['Column', 'Type', 'Extra', 'Comment']);
  },

  async useSchema() {
    // USE answers with X-Trino-Set-Schema, which the client carries on.
    await ok('USE sales');
    const { rows } = await ok('SELECT count(*) FROM items');
    assert.deepEqual(rows, [[2]]);
  },
};

(async () => {
  let passed = 0, failed = 0;
  for (const [name, fn] of Object.entries(tests)) {
    const t0 = Date.now();
    try {
      await fn();
      passed++;
      console.log(`ok   ${name} (${Date.now() - t0} ms)`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${name}: ${e && e.stack || e}`);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})();
