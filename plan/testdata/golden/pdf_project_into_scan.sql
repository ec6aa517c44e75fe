push_down_filter fires: a WHERE over a derived table's projection moves through
the projection (substituting the computed expression) into the scan's filters.
Then common_subexpressions computes a + 1 once for that filter and the select
list, moving the filter back out of the scan; b = 'k' stays in it (it prunes).
-- @setup
CREATE EXTERNAL TABLE t (a integer, b varchar, c double) LOCATION '${TMP}/t';
-- @stats
t 1000
-- @query
SELECT x FROM (SELECT a + 1 AS x, b FROM t) d WHERE x > 10 AND b = 'k'
-- @bound
Project x#9 := x#7
    Filter $eq(b#8, 'k'::varchar)
        Filter $gt(x#7, 10::integer)
            Project x#7 := $add(a#1, 1::integer), b#8 := b#2
                Scan default.t [a#1, b#2, c#3, $path#4, $file_size#5, $file_modified_time#6]
-- @optimized
Project x#9 := x#7
    Project x#7 := cse#10
        Filter $gt(cse#10, 10::integer)
            Project cse#10 := $add(a#1, 1::integer)
                Scan default.t [a#1, b#2] filters: $eq(b#2, 'k'::varchar)
-- @fired
push_down_filter
common_subexpressions
prune_columns
