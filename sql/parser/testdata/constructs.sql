-- A corpus of constructs for the round-trip property test and as fuzz seeds.
WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10)
SELECT DISTINCT n, t.*, s.* AS (x, y), "Quoted ""id""", `hive id` FROM r, LATERAL (SELECT n * 2) s (d)
WHERE n BETWEEN 1 AND 5 AND n NOT IN (3, 4) AND n IN (SELECT 1) AND EXISTS (SELECT 1) AND n > ALL (SELECT 0)
  AND name LIKE 'a!%%' ESCAPE '!' AND name IS NOT NULL AND a IS DISTINCT FROM b
GROUP BY DISTINCT n, ROLLUP (a, b), CUBE (c), GROUPING SETS ((a, b), (a), ())
HAVING count(*) FILTER (WHERE n > 1) > 0
WINDOW w AS (PARTITION BY a ORDER BY b ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
ORDER BY n DESC NULLS LAST, 2
OFFSET 1 ROWS FETCH FIRST 5 ROWS WITH TIES;

SELECT a FROM t1 UNION SELECT a FROM t2 INTERSECT SELECT a FROM t3 EXCEPT ALL SELECT a FROM t4;
(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL (SELECT b FROM u) ORDER BY 1 LIMIT 10;
VALUES (1, 'a'), (2, 'b');
TABLE catalog.schema.t;
SELECT * FROM a LEFT JOIN b ON a.x = b.x RIGHT OUTER JOIN c USING (y) FULL JOIN d ON TRUE CROSS JOIN e NATURAL JOIN f;
SELECT * FROM a JOIN (b JOIN c ON b.k = c.k) ON a.k = b.k, (d CROSS JOIN e) AS de;
SELECT * FROM t AS x TABLESAMPLE BERNOULLI (10), u TABLESAMPLE SYSTEM (1.5);
SELECT o, e FROM UNNEST(ARRAY[1, 2], ARRAY['a', 'b']) WITH ORDINALITY AS u (e, f, o);
SELECT * FROM (VALUES (1, 2)) AS v (a, b);
SELECT
  CAST(a AS varchar(10)), TRY_CAST(b AS decimal(15,2)), CAST(c AS array(row(x bigint, y varchar))),
  CAST(d AS map(varchar, array(double))), CAST(e AS timestamp(3) with time zone), CAST(f AS interval day to second),
  DATE '2020-01-01', TIMESTAMP '2020-01-01 00:00:00', TIME '01:02:03', DECIMAL '1.5', DOUBLE PRECISION '1e3',
  INTERVAL '1' DAY, INTERVAL -'2' HOUR, INTERVAL '1-2' YEAR TO MONTH, X'CAFE', U&'caf\00E9', 1.5e-3, .5, 5.,
  ARRAY[1, 2][1], MAP(ARRAY['k'], ARRAY['v'])['k'], ROW(1, 'x'), (1, 'x'), CAST(ROW(1) AS row(a integer)).a,
  CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END, CASE x WHEN 1 THEN 'one' END,
  EXTRACT(YEAR FROM d), substring(s FROM 2 FOR 3), POSITION('x' IN s), TRIM(BOTH ' ' FROM s), TRIM(LEADING FROM s),
  CURRENT_DATE, CURRENT_TIMESTAMP(3), LOCALTIMESTAMP, CURRENT_USER,
  ts AT TIME ZONE 'America/New_York', -a * (b + c) / d % e || 'x',
  transform(arr, x -> x + 1), reduce(arr, 0, (s, x) -> s + x, s -> s),
  count(DISTINCT a), count(*), array_agg(a ORDER BY b DESC), rank() OVER w, sum(a) OVER (w ORDER BY c),
  lag(a, 1) IGNORE NULLS OVER (PARTITION BY b ORDER BY c RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING),
  GROUPING(a, b), NOT a = b OR c <> d AND e != f, "select", date, year, comment, location, format
FROM t
WINDOW w AS (PARTITION BY a);

CREATE SCHEMA IF NOT EXISTS s WITH (location = 's3://bucket/s/');
CREATE DATABASE IF NOT EXISTS d COMMENT 'db' LOCATION 's3://b/d/' WITH DBPROPERTIES ('creator' = 'me');
DROP SCHEMA IF EXISTS s CASCADE;
CREATE EXTERNAL TABLE IF NOT EXISTS d.events (
  id bigint COMMENT 'the id',
  payload struct<kind: string, tags: array<string>, attrs: map<string, struct<v: double>>>,
  `when` timestamp
)
COMMENT 'events'
PARTITIONED BY (dt string, hour int)
CLUSTERED BY (id) INTO 16 BUCKETS
ROW FORMAT DELIMITED FIELDS TERMINATED BY '\001' ESCAPED BY '\\' COLLECTION ITEMS TERMINATED BY '\002'
  MAP KEYS TERMINATED BY '\003' LINES TERMINATED BY '\n' NULL DEFINED AS '\\N'
STORED AS TEXTFILE
LOCATION 's3://bucket/events/'
TBLPROPERTIES ('skip.header.line.count' = '1', 'projection.enabled' = 'true');
CREATE EXTERNAL TABLE j (a string) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' WITH SERDEPROPERTIES ('ignore.malformed.json' = 'true') LOCATION 's3://b/j/';
CREATE EXTERNAL TABLE p (a string) STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat' OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat' LOCATION 's3://b/p/';
CREATE TABLE ctas WITH (format = 'PARQUET', partitioned_by = ARRAY['dt'], external_location = 's3://b/ctas/') AS SELECT * FROM t WITH NO DATA;
CREATE TABLE t1(a INTEGER, b INTEGER PRIMARY KEY, c VARCHAR(30) NOT NULL);
CREATE OR REPLACE VIEW v (x) COMMENT 'v' SECURITY INVOKER AS SELECT 1;
DROP VIEW IF EXISTS v;
DROP TABLE IF EXISTS t1;
INSERT INTO t1 (a, b) VALUES (1, 2), (3, 4);
INSERT INTO t1 SELECT * FROM t2;
UNLOAD (SELECT * FROM t) TO 's3://b/unload/' WITH (format = 'PARQUET', compression = 'SNAPPY');
ALTER TABLE d.events ADD IF NOT EXISTS PARTITION (dt = '2024-01-01', hour = 0) LOCATION 's3://b/e/dt=2024-01-01/hour=0/' PARTITION (dt = '2024-01-02', hour = 1);
ALTER TABLE d.events DROP IF EXISTS PARTITION (dt = '2024-01-01', hour = 0), PARTITION (dt = '2024-01-02', hour = 1);
MSCK REPAIR TABLE d.events;
SHOW SCHEMAS FROM hive LIKE 'a%';
SHOW DATABASES;
SHOW TABLES IN d 'ev*';
SHOW TABLES FROM d LIKE 'ev\_%' ESCAPE '\';
SHOW VIEWS;
SHOW COLUMNS IN events IN d;
SHOW CREATE TABLE d.events;
SHOW CREATE VIEW v;
SHOW PARTITIONS d.events;
SHOW TBLPROPERTIES d.events;
SHOW FUNCTIONS LIKE 'date%';
SHOW SESSION;
SHOW CATALOGS;
DESCRIBE d.events;
DESC FORMATTED d.events;
EXPLAIN ANALYZE VERBOSE SELECT 1;
EXPLAIN (TYPE DISTRIBUTED, FORMAT JSON) SELECT 1;
USE hive.d;
SET SESSION hive.insert_existing_partitions_behavior = 'OVERWRITE';
RESET SESSION hive.insert_existing_partitions_behavior;
PREPARE q FROM SELECT * FROM t WHERE a = ? LIMIT ?;
EXECUTE q USING 1, 10;
DEALLOCATE PREPARE q;
SELECT EXTRACT("day of week" FROM d), trim(BOTH (a = b) FROM y), "a٣b", a٣b FROM t;
CREATE EXTERNAL TABLE sa (a int) STORED AS "my format" LOCATION 'x';
SELECT POSITION(? IN ?), TRIM(? FROM ?), TRIM(LEADING ? FROM ?), TRIM(TRAILING ? FROM ?), strpos(?, ?) FROM t LIMIT ? OFFSET ?;
SELECT a FROM t OFFSET ? LIMIT ?;
