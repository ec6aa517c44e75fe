TPC-H Q09 over the spec DDL (tpch-ddl.sql), with fixed table sizes proportional to
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
-- @query-file ${SHARED}/data/tpch/queries/q09.sql
-- @bound
Sort nation#75, o_year#76 desc
    Project nation#75 := nation#72, o_year#76 := o_year#73, sum_profit#77 := sum#74
        Aggregate keys: [#72 := nation#69, #73 := o_year#70] aggregates: [#74 := sum(amount#71)]
            Project nation#69 := n_name#63, o_year#70 := year(o_orderdate#54), amount#71 := $subtract($multiply(l_extendedprice#28, $subtract(1::decimal(10,0), l_discount#29)), $multiply(ps_supplycost#45, l_quantity#27))
                Filter $like(p_name#2, '%green%'::varchar(7))
                    Filter $eq(s_nationkey#16, n_nationkey#62)
                        Filter $eq(o_orderkey#50, l_orderkey#23)
                            Filter $eq(p_partkey#1, l_partkey#24)
                                Filter $eq(ps_partkey#42, l_partkey#24)
                                    Filter $eq(ps_suppkey#43, l_suppkey#25)
                                        Filter $eq(s_suppkey#13, l_suppkey#25)
                                            INNER Join on true
                                                INNER Join on true
                                                    INNER Join on true
                                                        INNER Join on true
                                                            INNER Join on true
                                                                Scan tpch.part [p_partkey#1, p_name#2, p_mfgr#3, p_brand#4, p_type#5, p_size#6, p_container#7, p_retailprice#8, p_comment#9, $path#10, $file_size#11, $file_modified_time#12]
                                                                Scan tpch.supplier [s_suppkey#13, s_name#14, s_address#15, s_nationkey#16, s_phone#17, s_acctbal#18, s_comment#19, $path#20, $file_size#21, $file_modified_time#22]
                                                            Scan tpch.lineitem [l_orderkey#23, l_partkey#24, l_suppkey#25, l_linenumber#26, l_quantity#27, l_extendedprice#28, l_discount#29, l_tax#30, l_returnflag#31, l_linestatus#32, l_shipdate#33, l_commitdate#34, l_receiptdate#35, l_shipinstruct#36, l_shipmode#37, l_comment#38, $path#39, $file_size#40, $file_modified_time#41]
                                                        Scan tpch.partsupp [ps_partkey#42, ps_suppkey#43, ps_availqty#44, ps_supplycost#45, ps_comment#46, $path#47, $file_size#48, $file_modified_time#49]
                                                    Scan tpch.orders [o_orderkey#50, o_custkey#51, o_orderstatus#52, o_totalprice#53, o_orderdate#54, o_orderpriority#55, o_clerk#56, o_shippriority#57, o_comment#58, $path#59, $file_size#60, $file_modified_time#61]
                                                Scan tpch.nation [n_nationkey#62, n_name#63, n_regionkey#64, n_comment#65, $path#66, $file_size#67, $file_modified_time#68]
-- @optimized
Sort nation#75, o_year#76 desc
    Project nation#75 := nation#72, o_year#76 := o_year#73, sum_profit#77 := sum#74
        Aggregate keys: [#72 := nation#69, #73 := o_year#70] aggregates: [#74 := sum(amount#71)]
            Project nation#69 := n_name#63, o_year#70 := year(o_orderdate#54), amount#71 := $subtract($multiply(l_extendedprice#28, $subtract(1::decimal(10,0), l_discount#29)), $multiply(ps_supplycost#45, l_quantity#27))
                INNER Join on $eq(o_orderkey#50, l_orderkey#23)
                    INNER Join on $and($eq(ps_partkey#42, l_partkey#24), $eq(ps_suppkey#43, l_suppkey#25))
                        INNER Join on $eq(p_partkey#1, l_partkey#24)
                            INNER Join on $eq(s_nationkey#16, n_nationkey#62)
                                INNER Join on $eq(s_suppkey#13, l_suppkey#25)
                                    Scan tpch.lineitem [l_orderkey#23, l_partkey#24, l_suppkey#25, l_quantity#27, l_extendedprice#28, l_discount#29]
                                    Scan tpch.supplier [s_suppkey#13, s_nationkey#16]
                                Scan tpch.nation [n_nationkey#62, n_name#63]
                            Scan tpch.part [p_partkey#1, p_name#2] filters: $like(p_name#2, '%green%'::varchar(7))
                        Scan tpch.partsupp [ps_partkey#42, ps_suppkey#43, ps_supplycost#45]
                    Scan tpch.orders [o_orderkey#50, o_orderdate#54]
-- @fired
push_down_filter
reorder_joins
prune_columns
