-- Queries Apache Superset sends through the SQLAlchemy "trino" dialect
-- (trino-python-client, trino/sqlalchemy/dialect.py) to discover schemas,
-- tables, views and columns. Bind parameters (:schema, :table, :view) are
-- filled in with the test catalog's names. Each statement is preceded by
-- a "name:" comment naming the dialect method; engine/catalog_e2e_test.go
-- checks the rows.

-- name: get_schema_names
SELECT "schema_name"
FROM "information_schema"."schemata";

-- name: has_schema
SELECT "schema_name"
FROM "information_schema"."schemata"
WHERE "schema_name" = 'aws_optimizer';

-- name: get_table_names
SELECT "table_name"
FROM "information_schema"."tables"
WHERE "table_schema" = 'aws_optimizer';

-- name: get_table_names_base_tables
-- Newer dialect versions keep views out of get_table_names.
SELECT "table_name"
FROM "information_schema"."tables"
WHERE "table_schema" = 'aws_optimizer'
  AND "table_type" = 'BASE TABLE';

-- name: has_table
SELECT "table_name"
FROM "information_schema"."tables"
WHERE "table_schema" = 'aws_optimizer'
  AND "table_name" = 'cost_and_usage';

-- name: get_view_names
SELECT "table_name"
FROM "information_schema"."views"
WHERE "table_schema" = 'aws_optimizer';

-- name: get_view_definition
SELECT "view_definition"
FROM "information_schema"."views"
WHERE "table_schema" = 'aws_optimizer'
  AND "table_name" = 'daily_cost';

-- name: get_columns
SELECT
    "column_name",
    "data_type",
    "column_default",
    UPPER("is_nullable") AS "is_nullable"
FROM "information_schema"."columns"
WHERE "table_schema" = 'aws_optimizer'
  AND "table_name" = 'bi_usage'
ORDER BY "ordinal_position" ASC;

-- name: get_table_comment
SELECT "comment"
FROM "system"."metadata"."table_comments"
WHERE "catalog_name" = 'quarry'
  AND "schema_name" = 'aws_optimizer'
  AND "table_name" = 'bi_usage';

-- name: get_indexes
-- get_indexes reads the columns of the hidden "<table>$partitions" table.
SELECT
    "column_name",
    "data_type",
    "column_default",
    UPPER("is_nullable") AS "is_nullable"
FROM "information_schema"."columns"
WHERE "table_schema" = 'aws_optimizer'
  AND "table_name" = 'bi_usage$partitions'
ORDER BY "ordinal_position" ASC;

-- name: server_version
SELECT version();
