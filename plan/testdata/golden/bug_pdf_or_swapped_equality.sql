BUG (missed optimization, correct results): factorOr compares conjuncts by
their text, so f_dim = d_id and d_id = f_dim (one branch written the other way
round, as hand-written and generated SQL often does) are not common: the join
equality stays inside the OR, the join has no hash key and runs as a cross
product with a residual (O(|fact| x |dim|)); f_tag = 'A' is still factored.

Today (optimized):
  Project f_id#16 := f_id#1
      INNER Join on $or($or($and($and($and($eq(f_dim#3, d_id#10), $eq(d_group#12, 1::integer)), ...), $and($eq(d_id#10, f_dim#3), $eq(d_group#12, 3::integer)))
          Scan default.fact [f_id#1, f_dim#3, f_amount#4, f_tag#5] filters: $eq(f_tag#5, 'A'::varchar)
          Scan default.dim [d_id#10, d_group#12]
Expected: INNER Join on $and($eq(f_dim#3, d_id#10), $or(...)) -- equalities
compared up to operand order (canonical form for commutative $eq), so
f_dim = d_id is the hash key as in pdf_or_common_conjuncts.
-- @skip BUG: OR factoring misses a common equality written with its operands swapped (d_id = f_dim vs f_dim = d_id)
-- @setup
CREATE EXTERNAL TABLE fact (f_id bigint, f_key integer, f_dim integer, f_amount double, f_tag varchar, f_day date) LOCATION '${TMP}/fact';
CREATE EXTERNAL TABLE dim (d_id integer, d_name varchar, d_group integer) LOCATION '${TMP}/dim';
CREATE EXTERNAL TABLE grp (g_id integer, g_name varchar) LOCATION '${TMP}/grp';
-- @stats
fact 1000000
dim 10000
grp 100
-- @query
SELECT f_id FROM fact, dim WHERE (f_dim = d_id AND f_tag = 'A' AND d_group = 1 AND f_amount BETWEEN 1 AND 10) OR (f_dim = d_id AND f_tag = 'A' AND d_group = 2 AND f_amount BETWEEN 20 AND 30) OR (d_id = f_dim AND f_tag = 'A' AND d_group = 3)
