TPC-H Q05 over the spec DDL (tpch-ddl.sql), with fixed table sizes proportional to
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
-- @query-file ${SHARED}/data/tpch/queries/q05.sql
-- @bound
Sort revenue#69 desc
    Project n_name#68 := n_name#66, revenue#69 := sum#67
        Aggregate keys: [#66 := n_name#54] aggregates: [#67 := sum($multiply(l_extendedprice#29, $subtract(1::decimal(10,0), l_discount#30)))]
            Filter $lt(o_orderdate#16, 9131::date)
                Filter $ge(o_orderdate#16, 8766::date)
                    Filter $eq(r_name#61, 'ASIA'::varchar(25))
                        Filter $eq(n_regionkey#55, r_regionkey#60)
                            Filter $eq(s_nationkey#46, n_nationkey#53)
                                Filter $eq(c_nationkey#4, s_nationkey#46)
                                    Filter $eq(l_suppkey#26, s_suppkey#43)
                                        Filter $eq(l_orderkey#24, o_orderkey#12)
                                            Filter $eq(c_custkey#1, o_custkey#13)
                                                INNER Join on true
                                                    INNER Join on true
                                                        INNER Join on true
                                                            INNER Join on true
                                                                INNER Join on true
                                                                    Scan tpch.customer [c_custkey#1, c_name#2, c_address#3, c_nationkey#4, c_phone#5, c_acctbal#6, c_mktsegment#7, c_comment#8, $path#9, $file_size#10, $file_modified_time#11]
                                                                    Scan tpch.orders [o_orderkey#12, o_custkey#13, o_orderstatus#14, o_totalprice#15, o_orderdate#16, o_orderpriority#17, o_clerk#18, o_shippriority#19, o_comment#20, $path#21, $file_size#22, $file_modified_time#23]
                                                                Scan tpch.lineitem [l_orderkey#24, l_partkey#25, l_suppkey#26, l_linenumber#27, l_quantity#28, l_extendedprice#29, l_discount#30, l_tax#31, l_returnflag#32, l_linestatus#33, l_shipdate#34, l_commitdate#35, l_receiptdate#36, l_shipinstruct#37, l_shipmode#38, l_comment#39, $path#40, $file_size#41, $file_modified_time#42]
                                                            Scan tpch.supplier [s_suppkey#43, s_name#44, s_address#45, s_nationkey#46, s_phone#47, s_acctbal#48, s_comment#49, $path#50, $file_size#51, $file_modified_time#52]
                                                        Scan tpch.nation [n_nationkey#53, n_name#54, n_regionkey#55, n_comment#56, $path#57, $file_size#58, $file_modified_time#59]
                                                    Scan tpch.region [r_regionkey#60, r_name#61, r_comment#62, $path#63, $file_size#64, $file_modified_time#65]
-- @optimized
Sort revenue#69 desc
    Project n_name#68 := n_name#66, revenue#69 := sum#67
        Aggregate keys: [#66 := n_name#54] aggregates: [#67 := sum($multiply(l_extendedprice#29, $subtract(1::decimal(10,0), l_discount#30)))]
            INNER Join on $and($eq(c_custkey#1, o_custkey#13), $eq(c_nationkey#4, s_nationkey#46))
                INNER Join on $eq(l_orderkey#24, o_orderkey#12)
                    INNER Join on $eq(n_regionkey#55, r_regionkey#60)
                        INNER Join on $eq(s_nationkey#46, n_nationkey#53)
                            INNER Join on $eq(l_suppkey#26, s_suppkey#43)
                                Scan tpch.lineitem [l_orderkey#24, l_suppkey#26, l_extendedprice#29, l_discount#30]
                                Scan tpch.supplier [s_suppkey#43, s_nationkey#46]
                            Scan tpch.nation [n_nationkey#53, n_name#54, n_regionkey#55]
                        Scan tpch.region [r_regionkey#60, r_name#61] filters: $eq(r_name#61, 'ASIA'::varchar(25))
                    Scan tpch.orders [o_orderkey#12, o_custkey#13, o_orderdate#16] filters: $lt(o_orderdate#16, 9131::date), $ge(o_orderdate#16, 8766::date)
                Scan tpch.customer [c_custkey#1, c_nationkey#4]
-- @fired
push_down_filter
reorder_joins
prune_columns
