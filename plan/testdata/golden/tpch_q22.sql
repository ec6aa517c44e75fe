TPC-H Q22 over the spec DDL (tpch-ddl.sql), with fixed table sizes proportional to
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
-- @query-file ${SHARED}/data/tpch/queries/q22.sql
-- @bound
Sort cntrycode#51
    Project cntrycode#51 := cntrycode#48, numcust#52 := count#49, totacctbal#53 := sum#50
        Aggregate keys: [#48 := cntrycode#46] aggregates: [#49 := count(), #50 := sum(c_acctbal#47)]
            Project cntrycode#46 := substring(c_phone#5, 1::bigint, 2::bigint), c_acctbal#47 := c_acctbal#6
                ANTI Join on $eq(o_custkey#26, c_custkey#1)
                    Filter $gt(c_acctbal#6, _col0#24)
                        LEFT Join on true
                            Filter (substring(c_phone#5, 1::bigint, 2::bigint) in ('13'::varchar, '31'::varchar, '23'::varchar, '29'::varchar, '30'::varchar, '18'::varchar, '17'::varchar))
                                Scan tpch.customer [c_custkey#1, c_name#2, c_address#3, c_nationkey#4, c_phone#5, c_acctbal#6, c_mktsegment#7, c_comment#8, $path#9, $file_size#10, $file_modified_time#11]
                            SingleRow
                                Project _col0#24 := avg#23
                                    Aggregate keys: [] aggregates: [#23 := avg(c_acctbal#17)]
                                        Filter (substring(c_phone#16, 1::bigint, 2::bigint) in ('13'::varchar, '31'::varchar, '23'::varchar, '29'::varchar, '30'::varchar, '18'::varchar, '17'::varchar))
                                            Filter $gt(c_acctbal#17, 0::decimal(2,2))
                                                Scan tpch.customer [c_custkey#12, c_name#13, c_address#14, c_nationkey#15, c_phone#16, c_acctbal#17, c_mktsegment#18, c_comment#19, $path#20, $file_size#21, $file_modified_time#22]
                    Project o_orderkey#37 := o_orderkey#25, o_custkey#38 := o_custkey#26, o_orderstatus#39 := o_orderstatus#27, o_totalprice#40 := o_totalprice#28, o_orderdate#41 := o_orderdate#29, o_orderpriority#42 := o_orderpriority#30, o_clerk#43 := o_clerk#31, o_shippriority#44 := o_shippriority#32, o_comment#45 := o_comment#33, o_custkey#26 := o_custkey#26
                        Scan tpch.orders [o_orderkey#25, o_custkey#26, o_orderstatus#27, o_totalprice#28, o_orderdate#29, o_orderpriority#30, o_clerk#31, o_shippriority#32, o_comment#33, $path#34, $file_size#35, $file_modified_time#36]
-- @optimized
Sort cntrycode#51
    Project cntrycode#51 := cntrycode#48, numcust#52 := count#49, totacctbal#53 := sum#50
        Aggregate keys: [#48 := cntrycode#46] aggregates: [#49 := count(), #50 := sum(c_acctbal#47)]
            Project cntrycode#46 := substring(c_phone#5, 1::bigint, 2::bigint), c_acctbal#47 := c_acctbal#6
                ANTI Join on $eq(o_custkey#26, c_custkey#1)
                    Filter $gt(c_acctbal#6, _col0#24)
                        LEFT Join on true
                            Scan tpch.customer [c_custkey#1, c_phone#5, c_acctbal#6] filters: (substring(c_phone#5, 1::bigint, 2::bigint) in ('13'::varchar, '31'::varchar, '23'::varchar, '29'::varchar, '30'::varchar, '18'::varchar, '17'::varchar))
                            SingleRow
                                Project _col0#24 := avg#23
                                    Aggregate keys: [] aggregates: [#23 := avg(c_acctbal#17)]
                                        Scan tpch.customer [c_phone#16, c_acctbal#17] filters: (substring(c_phone#16, 1::bigint, 2::bigint) in ('13'::varchar, '31'::varchar, '23'::varchar, '29'::varchar, '30'::varchar, '18'::varchar, '17'::varchar)), $gt(c_acctbal#17, 0::decimal(2,2))
                    Project o_custkey#26 := o_custkey#26
                        Scan tpch.orders [o_custkey#26]
-- @fired
push_down_filter
prune_columns
