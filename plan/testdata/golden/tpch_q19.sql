TPC-H Q19 over the spec DDL (tpch-ddl.sql), with fixed table sizes proportional to
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
-- @query-file ${SHARED}/data/tpch/queries/q19.sql
-- @bound
Project revenue#33 := sum#32
    Aggregate keys: [] aggregates: [#32 := sum($multiply(l_extendedprice#6, $subtract(1::decimal(10,0), l_discount#7)))]
        Filter $or($or($and($and($and($and($and($and($and($eq(p_partkey#20, l_partkey#2), $eq(p_brand#23, 'Brand#12'::varchar(10))), (p_container#26 in ('SM CASE'::varchar(10), 'SM BOX'::varchar(10), 'SM PACK'::varchar(10), 'SM PKG'::varchar(10)))), $ge(l_quantity#5, 1::decimal(10,0))), $le(l_quantity#5, 11::decimal(10,0))), $and($ge(p_size#25, 1::integer), $le(p_size#25, 5::integer))), (l_shipmode#15 in ('AIR'::varchar(10), 'AIR REG'::varchar(10)))), $eq(l_shipinstruct#14, 'DELIVER IN PERSON'::varchar(25))), $and($and($and($and($and($and($and($eq(p_partkey#20, l_partkey#2), $eq(p_brand#23, 'Brand#23'::varchar(10))), (p_container#26 in ('MED BAG'::varchar(10), 'MED BOX'::varchar(10), 'MED PKG'::varchar(10), 'MED PACK'::varchar(10)))), $ge(l_quantity#5, 10::decimal(10,0))), $le(l_quantity#5, 20::decimal(10,0))), $and($ge(p_size#25, 1::integer), $le(p_size#25, 10::integer))), (l_shipmode#15 in ('AIR'::varchar(10), 'AIR REG'::varchar(10)))), $eq(l_shipinstruct#14, 'DELIVER IN PERSON'::varchar(25)))), $and($and($and($and($and($and($and($eq(p_partkey#20, l_partkey#2), $eq(p_brand#23, 'Brand#34'::varchar(10))), (p_container#26 in ('LG CASE'::varchar(10), 'LG BOX'::varchar(10), 'LG PACK'::varchar(10), 'LG PKG'::varchar(10)))), $ge(l_quantity#5, 20::decimal(10,0))), $le(l_quantity#5, 30::decimal(10,0))), $and($ge(p_size#25, 1::integer), $le(p_size#25, 15::integer))), (l_shipmode#15 in ('AIR'::varchar(10), 'AIR REG'::varchar(10)))), $eq(l_shipinstruct#14, 'DELIVER IN PERSON'::varchar(25))))
            INNER Join on true
                Scan tpch.lineitem [l_orderkey#1, l_partkey#2, l_suppkey#3, l_linenumber#4, l_quantity#5, l_extendedprice#6, l_discount#7, l_tax#8, l_returnflag#9, l_linestatus#10, l_shipdate#11, l_commitdate#12, l_receiptdate#13, l_shipinstruct#14, l_shipmode#15, l_comment#16, $path#17, $file_size#18, $file_modified_time#19]
                Scan tpch.part [p_partkey#20, p_name#21, p_mfgr#22, p_brand#23, p_type#24, p_size#25, p_container#26, p_retailprice#27, p_comment#28, $path#29, $file_size#30, $file_modified_time#31]
-- @optimized
Project revenue#33 := sum#32
    Aggregate keys: [] aggregates: [#32 := sum($multiply(l_extendedprice#6, $subtract(1::decimal(10,0), l_discount#7)))]
        INNER Join on $and($eq(p_partkey#20, l_partkey#2), $or($or($and($and($and($and($eq(p_brand#23, 'Brand#12'::varchar(10)), (p_container#26 in ('SM CASE'::varchar(10), 'SM BOX'::varchar(10), 'SM PACK'::varchar(10), 'SM PKG'::varchar(10)))), $ge(l_quantity#5, 1::decimal(10,0))), $le(l_quantity#5, 11::decimal(10,0))), $le(p_size#25, 5::integer)), $and($and($and($and($eq(p_brand#23, 'Brand#23'::varchar(10)), (p_container#26 in ('MED BAG'::varchar(10), 'MED BOX'::varchar(10), 'MED PKG'::varchar(10), 'MED PACK'::varchar(10)))), $ge(l_quantity#5, 10::decimal(10,0))), $le(l_quantity#5, 20::decimal(10,0))), $le(p_size#25, 10::integer))), $and($and($and($and($eq(p_brand#23, 'Brand#34'::varchar(10)), (p_container#26 in ('LG CASE'::varchar(10), 'LG BOX'::varchar(10), 'LG PACK'::varchar(10), 'LG PKG'::varchar(10)))), $ge(l_quantity#5, 20::decimal(10,0))), $le(l_quantity#5, 30::decimal(10,0))), $le(p_size#25, 15::integer))))
            Scan tpch.lineitem [l_partkey#2, l_quantity#5, l_extendedprice#6, l_discount#7, l_shipinstruct#14, l_shipmode#15] filters: (l_shipmode#15 in ('AIR'::varchar(10), 'AIR REG'::varchar(10))), $eq(l_shipinstruct#14, 'DELIVER IN PERSON'::varchar(25))
            Scan tpch.part [p_partkey#20, p_brand#23, p_size#25, p_container#26] filters: $ge(p_size#25, 1::integer)
-- @fired
push_down_filter
prune_columns
