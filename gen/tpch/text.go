package tpch

import (
	"strconv"
	"strings"
)

// textEnc renders rows as delimited text. In tbl mode every field, the last included, is followed by the
// delimiter (dbgen's layout) and nothing is quoted, as no value contains '|'. In csv mode fields are separated
// and quoted per RFC 4180 when they hold the delimiter, a quote or a line break.
type textEnc struct {
	delim byte
	csv   bool
}

func (e *textEnc) str(b []byte, s string) []byte {
	if e.csv && strings.ContainsAny(s, string([]byte{e.delim, '"', '\n', '\r'})) {
		b = append(b, '"')
		for i := 0; i < len(s); i++ {
			if s[i] == '"' {
				b = append(b, '"')
			}
			b = append(b, s[i])
		}
		b = append(b, '"')
		return append(b, e.delim)
	}
	b = append(b, s...)
	return append(b, e.delim)
}

func (e *textEnc) int(b []byte, v int64) []byte {
	return append(strconv.AppendInt(b, v, 10), e.delim)
}

// dec renders cents as a decimal with two digits.
func (e *textEnc) dec(b []byte, v int64) []byte {
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	b = strconv.AppendInt(b, v/100, 10)
	c := v % 100
	b = append(b, '.', byte('0'+c/10), byte('0'+c%10))
	return append(b, e.delim)
}

func (e *textEnc) date(b []byte, d int32) []byte {
	b = append(b, dateStrings[d-startDate]...)
	return append(b, e.delim)
}

func (e *textEnc) end(b []byte) []byte {
	if e.csv {
		b = b[:len(b)-1]
	}
	return append(b, '\n')
}

// header renders the column names for csv output with a header row.
func (e *textEnc) header(b []byte, cols []string) []byte {
	for _, c := range cols {
		b = e.str(b, c)
	}
	return e.end(b)
}

var columnNames = map[string][]string{
	"region":   {"r_regionkey", "r_name", "r_comment"},
	"nation":   {"n_nationkey", "n_name", "n_regionkey", "n_comment"},
	"supplier": {"s_suppkey", "s_name", "s_address", "s_nationkey", "s_phone", "s_acctbal", "s_comment"},
	"part": {"p_partkey", "p_name", "p_mfgr", "p_brand", "p_type", "p_size", "p_container", "p_retailprice",
		"p_comment"},
	"partsupp": {"ps_partkey", "ps_suppkey", "ps_availqty", "ps_supplycost", "ps_comment"},
	"customer": {"c_custkey", "c_name", "c_address", "c_nationkey", "c_phone", "c_acctbal", "c_mktsegment",
		"c_comment"},
	"orders": {"o_orderkey", "o_custkey", "o_orderstatus", "o_totalprice", "o_orderdate", "o_orderpriority",
		"o_clerk", "o_shippriority", "o_comment"},
	"lineitem": {"l_orderkey", "l_partkey", "l_suppkey", "l_linenumber", "l_quantity", "l_extendedprice",
		"l_discount", "l_tax", "l_returnflag", "l_linestatus", "l_shipdate", "l_commitdate", "l_receiptdate",
		"l_shipinstruct", "l_shipmode", "l_comment"},
}

func (e *textEnc) region(b []byte, r *Region) []byte {
	b = e.int(b, int64(r.RegionKey))
	b = e.str(b, r.Name)
	b = e.str(b, r.Comment)
	return e.end(b)
}

func (e *textEnc) nation(b []byte, r *Nation) []byte {
	b = e.int(b, int64(r.NationKey))
	b = e.str(b, r.Name)
	b = e.int(b, int64(r.RegionKey))
	b = e.str(b, r.Comment)
	return e.end(b)
}

func (e *textEnc) supplier(b []byte, r *Supplier) []byte {
	b = e.int(b, r.SuppKey)
	b = e.str(b, r.Name)
	b = e.str(b, r.Address)
	b = e.int(b, int64(r.NationKey))
	b = e.str(b, r.Phone)
	b = e.dec(b, r.AcctBal)
	b = e.str(b, r.Comment)
	return e.end(b)
}

func (e *textEnc) part(b []byte, r *Part) []byte {
	b = e.int(b, r.PartKey)
	b = e.str(b, r.Name)
	b = e.str(b, r.Mfgr)
	b = e.str(b, r.Brand)
	b = e.str(b, r.Type)
	b = e.int(b, int64(r.Size))
	b = e.str(b, r.Container)
	b = e.dec(b, r.RetailPrice)
	b = e.str(b, r.Comment)
	return e.end(b)
}

func (e *textEnc) partsupp(b []byte, r *PartSupp) []byte {
	b = e.int(b, r.PartKey)
	b = e.int(b, r.SuppKey)
	b = e.int(b, int64(r.AvailQty))
	b = e.dec(b, r.SupplyCost)
	b = e.str(b, r.Comment)
	return e.end(b)
}

func (e *textEnc) customer(b []byte, r *Customer) []byte {
	b = e.int(b, r.CustKey)
	b = e.str(b, r.Name)
	b = e.str(b, r.Address)
	b = e.int(b, int64(r.NationKey))
	b = e.str(b, r.Phone)
	b = e.dec(b, r.AcctBal)
	b = e.str(b, r.MktSegment)
	b = e.str(b, r.Comment)
	return e.end(b)
}

func (e *textEnc) order(b []byte, r *Order) []byte {
	b = e.int(b, r.OrderKey)
	b = e.int(b, r.CustKey)
	b = e.str(b, r.OrderStatus)
	b = e.dec(b, r.TotalPrice)
	b = e.date(b, r.OrderDate)
	b = e.str(b, r.OrderPriority)
	b = e.str(b, r.Clerk)
	b = e.int(b, int64(r.ShipPriority))
	b = e.str(b, r.Comment)
	return e.end(b)
}

func (e *textEnc) lineitem(b []byte, r *LineItem) []byte {
	b = e.int(b, r.OrderKey)
	b = e.int(b, r.PartKey)
	b = e.int(b, r.SuppKey)
	b = e.int(b, int64(r.LineNumber))
	b = e.dec(b, r.Quantity)
	b = e.dec(b, r.ExtendedPrice)
	b = e.dec(b, r.Discount)
	b = e.dec(b, r.Tax)
	b = e.str(b, r.ReturnFlag)
	b = e.str(b, r.LineStatus)
	b = e.date(b, r.ShipDate)
	b = e.date(b, r.CommitDate)
	b = e.date(b, r.ReceiptDate)
	b = e.str(b, r.ShipInstruct)
	b = e.str(b, r.ShipMode)
	b = e.str(b, r.Comment)
	return e.end(b)
}
