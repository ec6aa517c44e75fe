-- Queries Looker's PrestoSQL/Trino dialect sends to discover tables and
-- columns for the SQL Runner and the LookML generator: information_schema
-- with table_schema filters (Looker is closed source; these follow the
-- shape of the metadata queries it is documented and observed to run).

-- name: schemas
SELECT schema_name
FROM information_schema.schemata
WHERE schema_name NOT IN ('information_schema')
ORDER BY schema_name;

-- name: tables
SELECT table_schema, table_name, table_type
FROM information_schema.tables
WHERE table_schema = 'aws_optimizer'
ORDER BY table_name;

-- name: columns
SELECT table_name, column_name, data_type, ordinal_position
FROM information_schema.columns
WHERE table_schema = 'aws_optimizer'
  AND table_name IN ('bi_usage')
ORDER BY table_name, ordinal_position;

-- name: columns_catalog
SELECT c.table_catalog, c.table_schema, c.table_name, c.column_name, c.data_type
FROM quarry.information_schema.columns c
JOIN quarry.information_schema.tables t
  ON c.table_schema = t.table_schema AND c.table_name = t.table_name
WHERE c.table_catalog = 'quarry' AND UPPER(c.table_schema) = UPPER('AWS_OPTIMIZER')
  AND t.table_type = 'BASE TABLE'
ORDER BY c.table_name, c.ordinal_position;

-- name: connection_test
SELECT 1;
