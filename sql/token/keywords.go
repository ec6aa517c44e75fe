package token

// Keyword kinds. Reserved keywords (Trino's list) come first, between
// keywordBeg and reservedEnd; every other keyword may also serve as an
// identifier.
const (
	keywordBeg Kind = iota + 1000

	ALTER
	AND
	AS
	BETWEEN
	BY
	CASE
	CAST
	CONSTRAINT
	CREATE
	CROSS
	CUBE
	CURRENT_CATALOG
	CURRENT_DATE
	CURRENT_PATH
	CURRENT_ROLE
	CURRENT_SCHEMA
	CURRENT_TIME
	CURRENT_TIMESTAMP
	CURRENT_USER
	DEALLOCATE
	DELETE
	DESCRIBE
	DISTINCT
	DROP
	ELSE
	END
	ESCAPE
	EXCEPT
	EXECUTE
	EXISTS
	EXTRACT
	FALSE
	FOR
	FROM
	FULL
	GROUP
	GROUPING
	HAVING
	IN
	INNER
	INSERT
	INTERSECT
	INTO
	IS
	JOIN
	JSON_ARRAY
	JSON_EXISTS
	JSON_OBJECT
	JSON_QUERY
	JSON_TABLE
	JSON_VALUE
	LEFT
	LIKE
	LISTAGG
	LOCALTIME
	LOCALTIMESTAMP
	NATURAL
	NORMALIZE
	NOT
	NULL
	ON
	OR
	ORDER
	OUTER
	PREPARE
	RECURSIVE
	RIGHT
	ROLLUP
	SELECT
	SKIP
	TABLE
	THEN
	TRIM
	TRUE
	UESCAPE
	UNION
	UNNEST
	USING
	VALUES
	WHEN
	WHERE
	WITH
	reservedEnd

	ADD
	ALL
	ANALYZE
	ANY
	ARRAY
	ASC
	AT
	AUTHORIZATION
	BERNOULLI
	BOTH
	BUCKETS
	CASCADE
	CATALOGS
	CLUSTERED
	COLLECTION
	COLUMNS
	COMMENT
	CURRENT
	DATA
	DATABASE
	DATABASES
	DATE
	DAY
	DBPROPERTIES
	DEFINED
	DEFINER
	DELIMITED
	DESC
	DISTRIBUTED
	DOUBLE
	ESCAPED
	EXPLAIN
	EXTENDED
	EXTERNAL
	FETCH
	FIELDS
	FILTER
	FIRST
	FOLLOWING
	FORMAT
	FORMATTED
	FUNCTIONS
	GRAPHVIZ
	GROUPS
	HOUR
	IF
	IGNORE
	INPUTFORMAT
	INTERVAL
	INVOKER
	IO
	ITEMS
	JSON
	KEYS
	LAST
	LATERAL
	LEADING
	LIMIT
	LINES
	LOCATION
	LOGICAL
	MAP
	MINUTE
	MONTH
	MSCK
	NEXT
	NO
	NULLS
	OFFSET
	ONLY
	ORDINALITY
	OUTPUTFORMAT
	OVER
	OVERWRITE
	PARTITION
	PARTITIONED
	PARTITIONS
	POSITION
	PRECEDING
	PRECISION
	RANGE
	REPAIR
	REPLACE
	RESET
	RESPECT
	RESTRICT
	ROW
	ROWS
	SCHEMA
	SCHEMAS
	SECOND
	SECURITY
	SERDE
	SERDEPROPERTIES
	SESSION
	SET
	SHOW
	SOME
	STORED
	SUBSTRING
	SYSTEM
	TABLES
	TABLESAMPLE
	TBLPROPERTIES
	TERMINATED
	TEXT
	TIES
	TIME
	TIMESTAMP
	TO
	TRAILING
	TRY_CAST
	TYPE
	UNBOUNDED
	UNLOAD
	USE
	VALIDATE
	VERBOSE
	VIEW
	VIEWS
	WINDOW
	WITHOUT
	YEAR
	ZONE
	keywordEnd
)

var keywordNames = map[Kind]string{
	ALTER:             "ALTER",
	AND:               "AND",
	AS:                "AS",
	BETWEEN:           "BETWEEN",
	BY:                "BY",
	CASE:              "CASE",
	CAST:              "CAST",
	CONSTRAINT:        "CONSTRAINT",
	CREATE:            "CREATE",
	CROSS:             "CROSS",
	CUBE:              "CUBE",
	CURRENT_CATALOG:   "CURRENT_CATALOG",
	CURRENT_DATE:      "CURRENT_DATE",
	CURRENT_PATH:      "CURRENT_PATH",
	CURRENT_ROLE:      "CURRENT_ROLE",
	CURRENT_SCHEMA:    "CURRENT_SCHEMA",
	CURRENT_TIME:      "CURRENT_TIME",
	CURRENT_TIMESTAMP: "CURRENT_TIMESTAMP",
	CURRENT_USER:      "CURRENT_USER",
	DEALLOCATE:        "DEALLOCATE",
	DELETE:            "DELETE",
	DESCRIBE:          "DESCRIBE",
	DISTINCT:          "DISTINCT",
	DROP:              "DROP",
	ELSE:              "ELSE",
	END:               "END",
	ESCAPE:            "ESCAPE",
	EXCEPT:            "EXCEPT",
	EXECUTE:           "EXECUTE",
	EXISTS:            "EXISTS",
	EXTRACT:           "EXTRACT",
	FALSE:             "FALSE",
	FOR:               "FOR",
	FROM:              "FROM",
	FULL:              "FULL",
	GROUP:             "GROUP",
	GROUPING:          "GROUPING",
	HAVING:            "HAVING",
	IN:                "IN",
	INNER:             "INNER",
	INSERT:            "INSERT",
	INTERSECT:         "INTERSECT",
	INTO:              "INTO",
	IS:                "IS",
	JOIN:              "JOIN",
	JSON_ARRAY:        "JSON_ARRAY",
	JSON_EXISTS:       "JSON_EXISTS",
	JSON_OBJECT:       "JSON_OBJECT",
	JSON_QUERY:        "JSON_QUERY",
	JSON_TABLE:        "JSON_TABLE",
	JSON_VALUE:        "JSON_VALUE",
	LEFT:              "LEFT",
	LIKE:              "LIKE",
	LISTAGG:           "LISTAGG",
	LOCALTIME:         "LOCALTIME",
	LOCALTIMESTAMP:    "LOCALTIMESTAMP",
	NATURAL:           "NATURAL",
	NORMALIZE:         "NORMALIZE",
	NOT:               "NOT",
	NULL:              "NULL",
	ON:                "ON",
	OR:                "OR",
	ORDER:             "ORDER",
	OUTER:             "OUTER",
	PREPARE:           "PREPARE",
	RECURSIVE:         "RECURSIVE",
	RIGHT:             "RIGHT",
	ROLLUP:            "ROLLUP",
	SELECT:            "SELECT",
	SKIP:              "SKIP",
	TABLE:             "TABLE",
	THEN:              "THEN",
	TRIM:              "TRIM",
	TRUE:              "TRUE",
	UESCAPE:           "UESCAPE",
	UNION:             "UNION",
	UNNEST:            "UNNEST",
	USING:             "USING",
	VALUES:            "VALUES",
	WHEN:              "WHEN",
	WHERE:             "WHERE",
	WITH:              "WITH",
	ADD:               "ADD",
	ALL:               "ALL",
	ANALYZE:           "ANALYZE",
	ANY:               "ANY",
	ARRAY:             "ARRAY",
	ASC:               "ASC",
	AT:                "AT",
	AUTHORIZATION:     "AUTHORIZATION",
	BERNOULLI:         "BERNOULLI",
	BOTH:              "BOTH",
	BUCKETS:           "BUCKETS",
	CASCADE:           "CASCADE",
	CATALOGS:          "CATALOGS",
	CLUSTERED:         "CLUSTERED",
	COLLECTION:        "COLLECTION",
	COLUMNS:           "COLUMNS",
	COMMENT:           "COMMENT",
	CURRENT:           "CURRENT",
	DATA:              "DATA",
	DATABASE:          "DATABASE",
	DATABASES:         "DATABASES",
	DATE:              "DATE",
	DAY:               "DAY",
	DBPROPERTIES:      "DBPROPERTIES",
	DEFINED:           "DEFINED",
	DEFINER:           "DEFINER",
	DELIMITED:         "DELIMITED",
	DESC:              "DESC",
	DISTRIBUTED:       "DISTRIBUTED",
	DOUBLE:            "DOUBLE",
	ESCAPED:           "ESCAPED",
	EXPLAIN:           "EXPLAIN",
	EXTENDED:          "EXTENDED",
	EXTERNAL:          "EXTERNAL",
	FETCH:             "FETCH",
	FIELDS:            "FIELDS",
	FILTER:            "FILTER",
	FIRST:             "FIRST",
	FOLLOWING:         "FOLLOWING",
	FORMAT:            "FORMAT",
	FORMATTED:         "FORMATTED",
	FUNCTIONS:         "FUNCTIONS",
	GRAPHVIZ:          "GRAPHVIZ",
	GROUPS:            "GROUPS",
	HOUR:              "HOUR",
	IF:                "IF",
	IGNORE:            "IGNORE",
	INPUTFORMAT:       "INPUTFORMAT",
	INTERVAL:          "INTERVAL",
	INVOKER:           "INVOKER",
	IO:                "IO",
	ITEMS:             "ITEMS",
	JSON:              "JSON",
	KEYS:              "KEYS",
	LAST:              "LAST",
	LATERAL:           "LATERAL",
	LEADING:           "LEADING",
	LIMIT:             "LIMIT",
	LINES:             "LINES",
	LOCATION:          "LOCATION",
	LOGICAL:           "LOGICAL",
	MAP:               "MAP",
	MINUTE:            "MINUTE",
	MONTH:             "MONTH",
	MSCK:              "MSCK",
	NEXT:              "NEXT",
	NO:                "NO",
	NULLS:             "NULLS",
	OFFSET:            "OFFSET",
	ONLY:              "ONLY",
	ORDINALITY:        "ORDINALITY",
	OUTPUTFORMAT:      "OUTPUTFORMAT",
	OVER:              "OVER",
	OVERWRITE:         "OVERWRITE",
	PARTITION:         "PARTITION",
	PARTITIONED:       "PARTITIONED",
	PARTITIONS:        "PARTITIONS",
	POSITION:          "POSITION",
	PRECEDING:         "PRECEDING",
	PRECISION:         "PRECISION",
	RANGE:             "RANGE",
	REPAIR:            "REPAIR",
	REPLACE:           "REPLACE",
	RESET:             "RESET",
	RESPECT:           "RESPECT",
	RESTRICT:          "RESTRICT",
	ROW:               "ROW",
	ROWS:              "ROWS",
	SCHEMA:            "SCHEMA",
	SCHEMAS:           "SCHEMAS",
	SECOND:            "SECOND",
	SECURITY:          "SECURITY",
	SERDE:             "SERDE",
	SERDEPROPERTIES:   "SERDEPROPERTIES",
	SESSION:           "SESSION",
	SET:               "SET",
	SHOW:              "SHOW",
	SOME:              "SOME",
	STORED:            "STORED",
	SUBSTRING:         "SUBSTRING",
	SYSTEM:            "SYSTEM",
	TABLES:            "TABLES",
	TABLESAMPLE:       "TABLESAMPLE",
	TBLPROPERTIES:     "TBLPROPERTIES",
	TERMINATED:        "TERMINATED",
	TEXT:              "TEXT",
	TIES:              "TIES",
	TIME:              "TIME",
	TIMESTAMP:         "TIMESTAMP",
	TO:                "TO",
	TRAILING:          "TRAILING",
	TRY_CAST:          "TRY_CAST",
	TYPE:              "TYPE",
	UNBOUNDED:         "UNBOUNDED",
	UNLOAD:            "UNLOAD",
	USE:               "USE",
	VALIDATE:          "VALIDATE",
	VERBOSE:           "VERBOSE",
	VIEW:              "VIEW",
	VIEWS:             "VIEWS",
	WINDOW:            "WINDOW",
	WITHOUT:           "WITHOUT",
	YEAR:              "YEAR",
	ZONE:              "ZONE",
}
