TPC-H Q13 over the spec DDL (tpch-ddl.sql), with fixed table sizes proportional to
SF 0.01 so the join order does not depend on the files.
-- @setup-file ${SHARED}/spec/tpch-ddl.sql
-- @schema tpch
-- @stats
lineitem 7300000
orders 1650000
partsupp 1150000
customer 240000
part 230000
supplier 14000
nation 2200
region 390
-- @query-file ${SHARED}/data/tpch/queries/q13.sql
-- @bound
Sort custdist#31 desc, c_count#30 desc
    Project c_count#30 := c_count#28, custdist#31 := count#29
        Aggregate keys: [#28 := c_count#27] aggregates: [#29 := count()]
            Project c_custkey#26 := c_custkey#24, _col1#27 := count#25
                Aggregate keys: [#24 := c_custkey#1] aggregates: [#25 := count(o_orderkey#12)]
                    LEFT Join on $and($eq(c_custkey#1, o_custkey#13), $not($like(o_comment#20, '%special%requests%'::varchar(18))))
                        Scan tpch.customer [c_custkey#1, c_name#2, c_address#3, c_nationkey#4, c_phone#5, c_acctbal#6, c_mktsegment#7, c_comment#8, $path#9, $file_size#10, $file_modified_time#11]
                        Scan tpch.orders [o_orderkey#12, o_custkey#13, o_orderstatus#14, o_totalprice#15, o_orderdate#16, o_orderpriority#17, o_clerk#18, o_shippriority#19, o_comment#20, $path#21, $file_size#22, $file_modified_time#23]
-- @optimized
Sort custdist#31 desc, c_count#30 desc
    Project c_count#30 := c_count#28, custdist#31 := count#29
        Aggregate keys: [#28 := c_count#27] aggregates: [#29 := count()]
            Project _col1#27 := count#25
                Aggregate keys: [#24 := c_custkey#1] aggregates: [#25 := count(o_orderkey#12)]
                    Project c_custkey#1 := c_custkey#1, o_orderkey#12 := o_orderkey#12
                        RIGHT Join on $eq(c_custkey#1, o_custkey#13)
                            Scan tpch.orders [o_orderkey#12, o_custkey#13, o_comment#20] filters: $not($like(o_comment#20, '%special%requests%'::varchar(18)))
                            Scan tpch.customer [c_custkey#1]
-- @fired
push_down_filter
reorder_joins
prune_columns
