TPC-H Q04 over the spec DDL (tpch-ddl.sql), with fixed table sizes proportional to
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
-- @query-file ${SHARED}/data/tpch/queries/q04.sql
-- @bound
Sort o_orderpriority#50
    Project o_orderpriority#50 := o_orderpriority#48, order_count#51 := count#49
        Aggregate keys: [#48 := o_orderpriority#6] aggregates: [#49 := count()]
            SEMI Join on $eq(l_orderkey#13, o_orderkey#1)
                Filter $lt(o_orderdate#5, 8674::date)
                    Filter $ge(o_orderdate#5, 8582::date)
                        Scan tpch.orders [o_orderkey#1, o_custkey#2, o_orderstatus#3, o_totalprice#4, o_orderdate#5, o_orderpriority#6, o_clerk#7, o_shippriority#8, o_comment#9, $path#10, $file_size#11, $file_modified_time#12]
                Project l_orderkey#32 := l_orderkey#13, l_partkey#33 := l_partkey#14, l_suppkey#34 := l_suppkey#15, l_linenumber#35 := l_linenumber#16, l_quantity#36 := l_quantity#17, l_extendedprice#37 := l_extendedprice#18, l_discount#38 := l_discount#19, l_tax#39 := l_tax#20, l_returnflag#40 := l_returnflag#21, l_linestatus#41 := l_linestatus#22, l_shipdate#42 := l_shipdate#23, l_commitdate#43 := l_commitdate#24, l_receiptdate#44 := l_receiptdate#25, l_shipinstruct#45 := l_shipinstruct#26, l_shipmode#46 := l_shipmode#27, l_comment#47 := l_comment#28, l_orderkey#13 := l_orderkey#13
                    Filter $lt(l_commitdate#24, l_receiptdate#25)
                        Scan tpch.lineitem [l_orderkey#13, l_partkey#14, l_suppkey#15, l_linenumber#16, l_quantity#17, l_extendedprice#18, l_discount#19, l_tax#20, l_returnflag#21, l_linestatus#22, l_shipdate#23, l_commitdate#24, l_receiptdate#25, l_shipinstruct#26, l_shipmode#27, l_comment#28, $path#29, $file_size#30, $file_modified_time#31]
-- @optimized
Sort o_orderpriority#50
    Project o_orderpriority#50 := o_orderpriority#48, order_count#51 := count#49
        Aggregate keys: [#48 := o_orderpriority#6] aggregates: [#49 := count()]
            SEMI Join on $eq(l_orderkey#13, o_orderkey#1)
                Scan tpch.orders [o_orderkey#1, o_orderdate#5, o_orderpriority#6] filters: $lt(o_orderdate#5, 8674::date), $ge(o_orderdate#5, 8582::date)
                Project l_orderkey#13 := l_orderkey#13
                    Scan tpch.lineitem [l_orderkey#13, l_commitdate#24, l_receiptdate#25] filters: $lt(l_commitdate#24, l_receiptdate#25)
-- @fired
push_down_filter
prune_columns
