-- DuckDB dialect of ../../../shared/spec/cur-q2-data-transfer.sql (the harness runs the spec text on Quarry):
-- from_iso8601_timestamp(x) -> CAST(x AS TIMESTAMPTZ) (session TimeZone is UTC); DATE_FORMAT(t,'%Y-%m') -> strftime;
-- REGEXP_LIKE -> regexp_matches; SUM over the VARCHAR cost -> SUM(CAST(... AS DOUBLE)) (Quarry coerces implicitly);
-- NOW() -> getvariable('now'), the fixed clock the CUR data was generated with;
-- DATE_ADD('month', 6, DATE_ADD('month', -5, m)) -> m + INTERVAL 1 MONTH.
SELECT
	cost_and_usage.lineitem_productcode  AS "cost_and_usage.product_code",
	COALESCE(SUM(CAST(cost_and_usage.lineitem_unblendedcost AS DOUBLE)), 0) AS "cost_and_usage.total_unblended_cost",
	COALESCE(SUM(CASE WHEN regexp_matches(cost_and_usage.product_usagetype, 'DataTransfer')    THEN CAST(cost_and_usage.lineitem_unblendedcost AS DOUBLE)  ELSE NULL END), 0) AS "cost_and_usage.total_data_transfer_cost",
	COALESCE(SUM(CASE WHEN regexp_matches(cost_and_usage.product_usagetype, 'DataTransfer-In')    THEN CAST(cost_and_usage.lineitem_unblendedcost AS DOUBLE)  ELSE NULL END), 0) AS "cost_and_usage.total_inbound_data_transfer_cost",
	COALESCE(SUM(CASE WHEN regexp_matches(cost_and_usage.product_usagetype, 'DataTransfer-Out')    THEN CAST(cost_and_usage.lineitem_unblendedcost AS DOUBLE)  ELSE NULL END), 0) AS "cost_and_usage.total_outbound_data_transfer_cost"
FROM aws_optimizer.cost_and_usage  AS cost_and_usage
WHERE
	(((CAST(cost_and_usage.lineitem_usagestartdate AS TIMESTAMPTZ)) >= (date_trunc('month', CAST(getvariable('now') AS DATE)) - INTERVAL 5 MONTH) AND (CAST(cost_and_usage.lineitem_usagestartdate AS TIMESTAMPTZ)) < (date_trunc('month', CAST(getvariable('now') AS DATE)) + INTERVAL 1 MONTH)))
GROUP BY 1
ORDER BY 2 DESC
LIMIT 500;
