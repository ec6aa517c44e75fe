TPC-H Q12 over the spec DDL (tpch-ddl.sql), with fixed table sizes proportional to
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
-- @query-file ${SHARED}/data/tpch/queries/q12.sql
-- @bound
Sort l_shipmode#35
    Project l_shipmode#35 := l_shipmode#32, high_line_count#36 := sum#33, low_line_count#37 := sum#34
        Aggregate keys: [#32 := l_shipmode#27] aggregates: [#33 := sum(cast(case when $or($eq(o_orderpriority#6, '1-URGENT'::varchar(15)), $eq(o_orderpriority#6, '2-HIGH'::varchar(15))) then 1::integer else 0::integer end as bigint)), #34 := sum(cast(case when $and($ne(o_orderpriority#6, '1-URGENT'::varchar(15)), $ne(o_orderpriority#6, '2-HIGH'::varchar(15))) then 1::integer else 0::integer end as bigint))]
            Filter $lt(l_receiptdate#25, 9131::date)
                Filter $ge(l_receiptdate#25, 8766::date)
                    Filter $lt(l_shipdate#23, l_commitdate#24)
                        Filter $lt(l_commitdate#24, l_receiptdate#25)
                            Filter (l_shipmode#27 in ('MAIL'::varchar(10), 'SHIP'::varchar(10)))
                                Filter $eq(o_orderkey#1, l_orderkey#13)
                                    INNER Join on true
                                        Scan tpch.orders [o_orderkey#1, o_custkey#2, o_orderstatus#3, o_totalprice#4, o_orderdate#5, o_orderpriority#6, o_clerk#7, o_shippriority#8, o_comment#9, $path#10, $file_size#11, $file_modified_time#12]
                                        Scan tpch.lineitem [l_orderkey#13, l_partkey#14, l_suppkey#15, l_linenumber#16, l_quantity#17, l_extendedprice#18, l_discount#19, l_tax#20, l_returnflag#21, l_linestatus#22, l_shipdate#23, l_commitdate#24, l_receiptdate#25, l_shipinstruct#26, l_shipmode#27, l_comment#28, $path#29, $file_size#30, $file_modified_time#31]
-- @optimized
Sort l_shipmode#35
    Project l_shipmode#35 := l_shipmode#32, high_line_count#36 := sum#33, low_line_count#37 := sum#34
        Aggregate keys: [#32 := l_shipmode#27] aggregates: [#33 := sum(cast(case when $or($eq(o_orderpriority#6, '1-URGENT'::varchar(15)), $eq(o_orderpriority#6, '2-HIGH'::varchar(15))) then 1::integer else 0::integer end as bigint)), #34 := sum(cast(case when $and($ne(o_orderpriority#6, '1-URGENT'::varchar(15)), $ne(o_orderpriority#6, '2-HIGH'::varchar(15))) then 1::integer else 0::integer end as bigint))]
            INNER Join on $eq(o_orderkey#1, l_orderkey#13)
                Scan tpch.orders [o_orderkey#1, o_orderpriority#6]
                Scan tpch.lineitem [l_orderkey#13, l_shipdate#23, l_commitdate#24, l_receiptdate#25, l_shipmode#27] filters: $lt(l_receiptdate#25, 9131::date), $ge(l_receiptdate#25, 8766::date), $lt(l_shipdate#23, l_commitdate#24), $lt(l_commitdate#24, l_receiptdate#25), (l_shipmode#27 in ('MAIL'::varchar(10), 'SHIP'::varchar(10)))
-- @fired
push_down_filter
prune_columns
