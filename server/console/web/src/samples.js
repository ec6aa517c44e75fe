// Example queries offered in the toolbar. A sample with chart set is run
// and shown as a chart in one click.
import fdaPRR from "./samples/fda-prr.sql";

export const SAMPLES = [
  {
    title: "FDA: PRR of GI haemorrhage for aspirin, by year (chart)",
    sql: fdaPRR.trim(),
    chart: { type: "line", x: "receipt_year", y: ["prr"] },
  },
  {
    title: "FDA: reports per year",
    sql:
      "SELECT rpad(receiptdate, 4, 'NA') AS receipt_year, count(DISTINCT safetyreportid) AS event_count\n" +
      "FROM fda.drugevents\nWHERE rpad(receiptdate, 4, 'NA') BETWEEN '2005' AND '2015'\n" +
      "GROUP BY rpad(receiptdate, 4, 'NA')\nORDER BY receipt_year",
    chart: { type: "bar", x: "receipt_year", y: ["event_count"] },
  },
  {
    title: "Tables in the catalog",
    sql:
      "SELECT table_schema, table_name, table_type\nFROM information_schema.tables\n" +
      "WHERE table_schema <> 'information_schema'\nORDER BY table_schema, table_name",
  },
  {
    title: "Columns of every table",
    sql:
      "SELECT table_schema, table_name, column_name, data_type, extra_info\nFROM information_schema.columns\n" +
      "WHERE table_schema <> 'information_schema'\nORDER BY table_schema, table_name, ordinal_position",
  },
];
