TPC-H Q07 over the spec DDL (tpch-ddl.sql), with fixed table sizes proportional to
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
-- @query-file ${SHARED}/data/tpch/queries/q07.sql
-- @bound
Sort supp_nation#75, cust_nation#76, l_year#77
    Project supp_nation#75 := supp_nation#71, cust_nation#76 := cust_nation#72, l_year#77 := l_year#73, revenue#78 := sum#74
        Aggregate keys: [#71 := supp_nation#67, #72 := cust_nation#68, #73 := l_year#69] aggregates: [#74 := sum(volume#70)]
            Project supp_nation#67 := n_name#54, cust_nation#68 := n_name#61, l_year#69 := year(l_shipdate#21), volume#70 := $multiply(l_extendedprice#16, $subtract(1::decimal(10,0), l_discount#17))
                Filter $and($ge(l_shipdate#21, 9131::date), $le(l_shipdate#21, 9861::date))
                    Filter $or($and($eq(n_name#54, 'FRANCE'::varchar(25)), $eq(n_name#61, 'GERMANY'::varchar(25))), $and($eq(n_name#54, 'GERMANY'::varchar(25)), $eq(n_name#61, 'FRANCE'::varchar(25))))
                        Filter $eq(c_nationkey#45, n_nationkey#60)
                            Filter $eq(s_nationkey#4, n_nationkey#53)
                                Filter $eq(c_custkey#42, o_custkey#31)
                                    Filter $eq(o_orderkey#30, l_orderkey#11)
                                        Filter $eq(s_suppkey#1, l_suppkey#13)
                                            INNER Join on true
                                                INNER Join on true
                                                    INNER Join on true
                                                        INNER Join on true
                                                            INNER Join on true
                                                                Scan tpch.supplier [s_suppkey#1, s_name#2, s_address#3, s_nationkey#4, s_phone#5, s_acctbal#6, s_comment#7, $path#8, $file_size#9, $file_modified_time#10]
                                                                Scan tpch.lineitem [l_orderkey#11, l_partkey#12, l_suppkey#13, l_linenumber#14, l_quantity#15, l_extendedprice#16, l_discount#17, l_tax#18, l_returnflag#19, l_linestatus#20, l_shipdate#21, l_commitdate#22, l_receiptdate#23, l_shipinstruct#24, l_shipmode#25, l_comment#26, $path#27, $file_size#28, $file_modified_time#29]
                                                            Scan tpch.orders [o_orderkey#30, o_custkey#31, o_orderstatus#32, o_totalprice#33, o_orderdate#34, o_orderpriority#35, o_clerk#36, o_shippriority#37, o_comment#38, $path#39, $file_size#40, $file_modified_time#41]
                                                        Scan tpch.customer [c_custkey#42, c_name#43, c_address#44, c_nationkey#45, c_phone#46, c_acctbal#47, c_mktsegment#48, c_comment#49, $path#50, $file_size#51, $file_modified_time#52]
                                                    Scan tpch.nation [n_nationkey#53, n_name#54, n_regionkey#55, n_comment#56, $path#57, $file_size#58, $file_modified_time#59]
                                                Scan tpch.nation [n_nationkey#60, n_name#61, n_regionkey#62, n_comment#63, $path#64, $file_size#65, $file_modified_time#66]
-- @optimized
Sort supp_nation#75, cust_nation#76, l_year#77
    Project supp_nation#75 := supp_nation#71, cust_nation#76 := cust_nation#72, l_year#77 := l_year#73, revenue#78 := sum#74
        Aggregate keys: [#71 := supp_nation#67, #72 := cust_nation#68, #73 := l_year#69] aggregates: [#74 := sum(volume#70)]
            Project supp_nation#67 := n_name#54, cust_nation#68 := n_name#61, l_year#69 := year(l_shipdate#21), volume#70 := $multiply(l_extendedprice#16, $subtract(1::decimal(10,0), l_discount#17))
                INNER Join on $and($eq(s_nationkey#4, n_nationkey#53), $or($and($eq(n_name#54, 'FRANCE'::varchar(25)), $eq(n_name#61, 'GERMANY'::varchar(25))), $and($eq(n_name#54, 'GERMANY'::varchar(25)), $eq(n_name#61, 'FRANCE'::varchar(25)))))
                    INNER Join on $eq(s_suppkey#1, l_suppkey#13)
                        INNER Join on $eq(o_orderkey#30, l_orderkey#11)
                            INNER Join on $eq(c_nationkey#45, n_nationkey#60)
                                INNER Join on $eq(c_custkey#42, o_custkey#31)
                                    Scan tpch.orders [o_orderkey#30, o_custkey#31]
                                    Scan tpch.customer [c_custkey#42, c_nationkey#45]
                                Scan tpch.nation [n_nationkey#60, n_name#61]
                            Scan tpch.lineitem [l_orderkey#11, l_suppkey#13, l_extendedprice#16, l_discount#17, l_shipdate#21] filters: $ge(l_shipdate#21, 9131::date), $le(l_shipdate#21, 9861::date)
                        Scan tpch.supplier [s_suppkey#1, s_nationkey#4]
                    Scan tpch.nation [n_nationkey#53, n_name#54]
-- @fired
push_down_filter
reorder_joins
prune_columns
