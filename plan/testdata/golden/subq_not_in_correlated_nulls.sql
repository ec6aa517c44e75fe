Regression (once a wrong-result bug). A correlated NOT IN is bound as a plain ANTI join on
value = column AND correlation (subquery.go: kind = AntiJoin when corr is not
empty), so an outer row whose subquery set contains NULL, or whose value is
NULL while the set is non-empty, is kept; SQL makes the NOT IN NULL and WHERE
drops it. Verified through the engine on customer (1,alice,1), (2,bob,2),
(3,carol,NULL) and supplier (alice,5), (bob,NULL), (carol,7): Quarry returns
alice, bob, carol; Trino returns only alice.

Today (optimized):
  Project c_name#14 := c_name#2
      ANTI Join on $and($eq(c_nationkey#3, s_nationkey#13), $eq(s_name#8, c_name#2))
          Scan default.customer [c_name#2, c_nationkey#3]
          Project s_nationkey#13 := s_nationkey#9, s_name#8 := s_name#8
              Scan default.supplier [s_name#8, s_nationkey#9]
Expected: a null-aware anti join evaluated per correlation group (match on the
correlation only, then: no rows -> keep; any row with value = x -> drop; x NULL
or a NULL value in the group -> drop), or refuse the query as unsupported
rather than return wrong rows.
-- @setup
CREATE EXTERNAL TABLE region (r_regionkey integer, r_name varchar) LOCATION '${TMP}/region';
CREATE EXTERNAL TABLE nation (n_nationkey integer, n_name varchar, n_regionkey integer) LOCATION '${TMP}/nation';
CREATE EXTERNAL TABLE supplier (s_suppkey bigint, s_name varchar, s_nationkey integer) LOCATION '${TMP}/supplier';
CREATE EXTERNAL TABLE customer (c_custkey bigint, c_name varchar, c_nationkey integer) LOCATION '${TMP}/customer';
CREATE EXTERNAL TABLE part (p_partkey bigint, p_name varchar, p_size integer) LOCATION '${TMP}/part';
CREATE EXTERNAL TABLE partsupp (ps_partkey bigint, ps_suppkey bigint, ps_supplycost decimal(15,2), ps_availqty integer) LOCATION '${TMP}/partsupp';
CREATE EXTERNAL TABLE orders (o_orderkey bigint, o_custkey bigint, o_orderdate date) LOCATION '${TMP}/orders';
CREATE EXTERNAL TABLE lineitem (l_orderkey bigint, l_partkey bigint, l_suppkey bigint, l_quantity decimal(15,2), l_extendedprice decimal(15,2), l_discount decimal(15,2), l_shipdate date) LOCATION '${TMP}/lineitem';
-- @stats
lineitem 7300000
orders 1650000
partsupp 1150000
customer 240000
part 230000
supplier 14000
nation 2200
region 390
-- @query
SELECT c_name FROM customer WHERE c_nationkey NOT IN (SELECT s_nationkey FROM supplier WHERE s_name = c_name)
-- @error
line 1:35: NOT IN with a correlated subquery is not supported yet; use NOT EXISTS
