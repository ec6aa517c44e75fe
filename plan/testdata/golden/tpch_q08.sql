TPC-H Q08 over the spec DDL (tpch-ddl.sql), with fixed table sizes proportional to
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
-- @query-file ${SHARED}/data/tpch/queries/q08.sql
-- @bound
Sort o_year#91
    Project o_year#91 := o_year#88, mkt_share#92 := $divide(sum#89, sum#90)
        Aggregate keys: [#88 := o_year#85] aggregates: [#89 := sum(case when $eq(nation#87, 'BRAZIL'::varchar(25)) then volume#86 else {0 0}::decimal(31,4) end), #90 := sum(volume#86)]
            Project o_year#85 := year(o_orderdate#46), volume#86 := $multiply(l_extendedprice#28, $subtract(1::decimal(10,0), l_discount#29)), nation#87 := n_name#73
                Filter $eq(p_type#5, 'ECONOMY ANODIZED STEEL'::varchar(25))
                    Filter $and($ge(o_orderdate#46, 9131::date), $le(o_orderdate#46, 9861::date))
                        Filter $eq(s_nationkey#16, n_nationkey#72)
                            Filter $eq(r_name#80, 'AMERICA'::varchar(25))
                                Filter $eq(n_regionkey#67, r_regionkey#79)
                                    Filter $eq(c_nationkey#57, n_nationkey#65)
                                        Filter $eq(o_custkey#43, c_custkey#54)
                                            Filter $eq(l_orderkey#23, o_orderkey#42)
                                                Filter $eq(s_suppkey#13, l_suppkey#25)
                                                    Filter $eq(p_partkey#1, l_partkey#24)
                                                        INNER Join on true
                                                            INNER Join on true
                                                                INNER Join on true
                                                                    INNER Join on true
                                                                        INNER Join on true
                                                                            INNER Join on true
                                                                                INNER Join on true
                                                                                    Scan tpch.part [p_partkey#1, p_name#2, p_mfgr#3, p_brand#4, p_type#5, p_size#6, p_container#7, p_retailprice#8, p_comment#9, $path#10, $file_size#11, $file_modified_time#12]
                                                                                    Scan tpch.supplier [s_suppkey#13, s_name#14, s_address#15, s_nationkey#16, s_phone#17, s_acctbal#18, s_comment#19, $path#20, $file_size#21, $file_modified_time#22]
                                                                                Scan tpch.lineitem [l_orderkey#23, l_partkey#24, l_suppkey#25, l_linenumber#26, l_quantity#27, l_extendedprice#28, l_discount#29, l_tax#30, l_returnflag#31, l_linestatus#32, l_shipdate#33, l_commitdate#34, l_receiptdate#35, l_shipinstruct#36, l_shipmode#37, l_comment#38, $path#39, $file_size#40, $file_modified_time#41]
                                                                            Scan tpch.orders [o_orderkey#42, o_custkey#43, o_orderstatus#44, o_totalprice#45, o_orderdate#46, o_orderpriority#47, o_clerk#48, o_shippriority#49, o_comment#50, $path#51, $file_size#52, $file_modified_time#53]
                                                                        Scan tpch.customer [c_custkey#54, c_name#55, c_address#56, c_nationkey#57, c_phone#58, c_acctbal#59, c_mktsegment#60, c_comment#61, $path#62, $file_size#63, $file_modified_time#64]
                                                                    Scan tpch.nation [n_nationkey#65, n_name#66, n_regionkey#67, n_comment#68, $path#69, $file_size#70, $file_modified_time#71]
                                                                Scan tpch.nation [n_nationkey#72, n_name#73, n_regionkey#74, n_comment#75, $path#76, $file_size#77, $file_modified_time#78]
                                                            Scan tpch.region [r_regionkey#79, r_name#80, r_comment#81, $path#82, $file_size#83, $file_modified_time#84]
-- @optimized
Sort o_year#91
    Project o_year#91 := o_year#88, mkt_share#92 := $divide(sum#89, sum#90)
        Aggregate keys: [#88 := o_year#85] aggregates: [#89 := sum(case when $eq(nation#87, 'BRAZIL'::varchar(25)) then volume#86 else {0 0}::decimal(31,4) end), #90 := sum(volume#86)]
            Project o_year#85 := year(o_orderdate#46), volume#86 := $multiply(l_extendedprice#28, $subtract(1::decimal(10,0), l_discount#29)), nation#87 := n_name#73
                INNER Join on $eq(n_regionkey#67, r_regionkey#79)
                    INNER Join on $eq(c_nationkey#57, n_nationkey#65)
                        INNER Join on $eq(o_custkey#43, c_custkey#54)
                            INNER Join on $eq(l_orderkey#23, o_orderkey#42)
                                INNER Join on $eq(p_partkey#1, l_partkey#24)
                                    INNER Join on $eq(s_nationkey#16, n_nationkey#72)
                                        INNER Join on $eq(s_suppkey#13, l_suppkey#25)
                                            Scan tpch.lineitem [l_orderkey#23, l_partkey#24, l_suppkey#25, l_extendedprice#28, l_discount#29]
                                            Scan tpch.supplier [s_suppkey#13, s_nationkey#16]
                                        Scan tpch.nation [n_nationkey#72, n_name#73]
                                    Scan tpch.part [p_partkey#1, p_type#5] filters: $eq(p_type#5, 'ECONOMY ANODIZED STEEL'::varchar(25))
                                Scan tpch.orders [o_orderkey#42, o_custkey#43, o_orderdate#46] filters: $ge(o_orderdate#46, 9131::date), $le(o_orderdate#46, 9861::date)
                            Scan tpch.customer [c_custkey#54, c_nationkey#57]
                        Scan tpch.nation [n_nationkey#65, n_regionkey#67]
                    Scan tpch.region [r_regionkey#79, r_name#80] filters: $eq(r_name#80, 'AMERICA'::varchar(25))
-- @fired
push_down_filter
reorder_joins
prune_columns
