-- Queries Metabase's Trino/Starburst (and older presto-jdbc) driver sends on
-- sync: describe-database lists schemas and tables with SHOW statements
-- (presto-common describe-catalog-sql / describe-schema-sql), probes SELECT
-- permission with an empty SELECT, and describe-table runs DESCRIBE. The
-- catalog is the connection's "Database" setting, here quarry.

-- name: describe_catalog
SHOW SCHEMAS FROM "quarry";

-- name: describe_schema
SHOW TABLES FROM "quarry"."aws_optimizer";

-- name: select_probe
SELECT TRUE AS "_" FROM "quarry"."aws_optimizer"."bi_usage" WHERE 1 <> 1 LIMIT 0;

-- name: describe_table
DESCRIBE "quarry"."aws_optimizer"."bi_usage";

-- name: table_comments
-- The Starburst driver reads table remarks from system.metadata.
SELECT "table_name", "comment"
FROM "system"."metadata"."table_comments"
WHERE "catalog_name" = 'quarry' AND "schema_name" = 'aws_optimizer';

-- name: jdbc_tables
-- DatabaseMetaData.getTables of the Trino JDBC driver (Metabase's
-- connection test and Looker's schema browser) reads system.jdbc.tables.
SELECT TABLE_CAT, TABLE_SCHEM, TABLE_NAME, TABLE_TYPE, REMARKS
FROM system.jdbc.tables
WHERE TABLE_CAT = 'quarry' AND TABLE_SCHEM LIKE 'aws\_optimizer' ESCAPE '\'
ORDER BY TABLE_TYPE, TABLE_CAT, TABLE_SCHEM, TABLE_NAME;
