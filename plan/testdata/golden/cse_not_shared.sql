common_subexpressions must NOT fire: a + 1 appears once; a + random(10) twice
is two draws, not one; a / b appears twice but only in CASE branches, which
guard it (b = 0 would fail if it were computed for every row); the try_cast
of a CASE is not pushed into its branches, as no other expression would share
the branch's cast.
-- @setup
CREATE EXTERNAL TABLE t (a bigint, b bigint, s varchar) LOCATION '${TMP}/t';
-- @stats
t 1000
-- @query
SELECT a + 1 AS once, a + random(10) AS r1, a + random(10) AS r2,
  CASE WHEN b <> 0 THEN a / b END AS q1, CASE WHEN b > 0 THEN a / b END AS q2,
  try_cast(CASE WHEN b < 0 THEN s END AS integer) AS c
FROM t
-- @bound
Project once#7 := $add(a#1, 1::bigint), r1#8 := $add(a#1, random(10::bigint)), r2#9 := $add(a#1, random(10::bigint)), q1#10 := case when $ne(b#2, 0::bigint) then $divide(a#1, b#2) end, q2#11 := case when $gt(b#2, 0::bigint) then $divide(a#1, b#2) end, c#12 := try_cast(case when $lt(b#2, 0::bigint) then s#3 end as integer)
    Scan default.t [a#1, b#2, s#3, $path#4, $file_size#5, $file_modified_time#6]
-- @optimized
Project once#7 := $add(a#1, 1::bigint), r1#8 := $add(a#1, random(10::bigint)), r2#9 := $add(a#1, random(10::bigint)), q1#10 := case when $ne(b#2, 0::bigint) then $divide(a#1, b#2) end, q2#11 := case when $gt(b#2, 0::bigint) then $divide(a#1, b#2) end, c#12 := try_cast(case when $lt(b#2, 0::bigint) then s#3 end as integer)
    Scan default.t [a#1, b#2, s#3]
-- @fired
prune_columns
