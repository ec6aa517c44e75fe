package tpch

import (
	"math/rand/v2"
	"strconv"
	"time"
)

// Row types double as the Parquet schemas: keys declared bigint in ../shared/spec/tpch-ddl.sql are int64,
// integer columns int32, decimal(15,2) columns int64 cents with the DECIMAL(15,2) logical type, dates int32
// days since 1970-01-01 with the DATE logical type.

type Region struct {
	RegionKey int32  `parquet:"r_regionkey"`
	Name      string `parquet:"r_name"`
	Comment   string `parquet:"r_comment"`
}

type Nation struct {
	NationKey int32  `parquet:"n_nationkey"`
	Name      string `parquet:"n_name"`
	RegionKey int32  `parquet:"n_regionkey"`
	Comment   string `parquet:"n_comment"`
}

type Supplier struct {
	SuppKey   int64  `parquet:"s_suppkey"`
	Name      string `parquet:"s_name"`
	Address   string `parquet:"s_address"`
	NationKey int32  `parquet:"s_nationkey"`
	Phone     string `parquet:"s_phone"`
	AcctBal   int64  `parquet:"s_acctbal,decimal(2:15)"`
	Comment   string `parquet:"s_comment"`
}

type Part struct {
	PartKey     int64  `parquet:"p_partkey"`
	Name        string `parquet:"p_name"`
	Mfgr        string `parquet:"p_mfgr,dict"`
	Brand       string `parquet:"p_brand,dict"`
	Type        string `parquet:"p_type,dict"`
	Size        int32  `parquet:"p_size"`
	Container   string `parquet:"p_container,dict"`
	RetailPrice int64  `parquet:"p_retailprice,decimal(2:15)"`
	Comment     string `parquet:"p_comment"`
}

type PartSupp struct {
	PartKey    int64  `parquet:"ps_partkey"`
	SuppKey    int64  `parquet:"ps_suppkey"`
	AvailQty   int32  `parquet:"ps_availqty"`
	SupplyCost int64  `parquet:"ps_supplycost,decimal(2:15)"`
	Comment    string `parquet:"ps_comment"`
}

type Customer struct {
	CustKey    int64  `parquet:"c_custkey"`
	Name       string `parquet:"c_name"`
	Address    string `parquet:"c_address"`
	NationKey  int32  `parquet:"c_nationkey"`
	Phone      string `parquet:"c_phone"`
	AcctBal    int64  `parquet:"c_acctbal,decimal(2:15)"`
	MktSegment string `parquet:"c_mktsegment,dict"`
	Comment    string `parquet:"c_comment"`
}

type Order struct {
	OrderKey      int64  `parquet:"o_orderkey"`
	CustKey       int64  `parquet:"o_custkey"`
	OrderStatus   string `parquet:"o_orderstatus,dict"`
	TotalPrice    int64  `parquet:"o_totalprice,decimal(2:15)"`
	OrderDate     int32  `parquet:"o_orderdate,date"`
	OrderPriority string `parquet:"o_orderpriority,dict"`
	Clerk         string `parquet:"o_clerk,dict"`
	ShipPriority  int32  `parquet:"o_shippriority"`
	Comment       string `parquet:"o_comment"`
}

type LineItem struct {
	OrderKey      int64  `parquet:"l_orderkey"`
	PartKey       int64  `parquet:"l_partkey"`
	SuppKey       int64  `parquet:"l_suppkey"`
	LineNumber    int32  `parquet:"l_linenumber"`
	Quantity      int64  `parquet:"l_quantity,decimal(2:15)"`
	ExtendedPrice int64  `parquet:"l_extendedprice,decimal(2:15)"`
	Discount      int64  `parquet:"l_discount,decimal(2:15)"`
	Tax           int64  `parquet:"l_tax,decimal(2:15)"`
	ReturnFlag    string `parquet:"l_returnflag,dict"`
	LineStatus    string `parquet:"l_linestatus,dict"`
	ShipDate      int32  `parquet:"l_shipdate,date"`
	CommitDate    int32  `parquet:"l_commitdate,date"`
	ReceiptDate   int32  `parquet:"l_receiptdate,date"`
	ShipInstruct  string `parquet:"l_shipinstruct,dict"`
	ShipMode      string `parquet:"l_shipmode,dict"`
	Comment       string `parquet:"l_comment"`
}

func epochDay(y int, m time.Month, d int) int32 {
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

var (
	startDate   = epochDay(1992, 1, 1)
	endDate     = epochDay(1998, 12, 31)
	currentDate = epochDay(1995, 6, 17)
	// dateStrings[d-startDate] is the ISO text of day d; lineitem dates reach endDate+151+30 at most.
	dateStrings = func() []string {
		s := make([]string, endDate-startDate+400)
		for i := range s {
			s[i] = time.Unix(int64(startDate+int32(i))*86400, 0).UTC().Format("2006-01-02")
		}
		return s
	}()
)

// scale holds the cardinalities of one scale factor (clause 4.2.5).
type scale struct {
	suppliers, parts, customers, orders int64
	clerks                              int
}

func newScale(sf float64) scale {
	n := func(base float64) int64 { return max(1, int64(base*sf+0.5)) }
	return scale{
		suppliers: n(10000),
		parts:     n(200000),
		customers: n(150000),
		orders:    n(1500000),
		clerks:    int(n(1000)),
	}
}

// orderKey makes keys sparse as the spec requires: only the first 8 of every 32 are used.
func orderKey(i int64) int64 { return i/8*32 + i%8 + 1 }

// partSuppKey is the spec's supplier of the i-th (0..3) partsupp row of a part.
func partSuppKey(partKey, i, suppliers int64) int64 {
	return (partKey+i*(suppliers/4+(partKey-1)/suppliers))%suppliers + 1
}

// retailPrice follows clause 4.2.3, in cents.
func retailPrice(partKey int64) int64 {
	return 90000 + (partKey/10)%20001 + 100*(partKey%1000)
}

func phone(r *rand.Rand, nation int32) string {
	b := make([]byte, 0, 15)
	b = strconv.AppendInt(b, int64(nation)+10, 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, int64(100+r.IntN(900)), 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, int64(100+r.IntN(900)), 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, int64(1000+r.IntN(9000)), 10)
	return string(b)
}

const vchars = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ, "

// vstring is the spec's random v-string over 64 characters; trimmed so formats agree on it.
func vstring(r *rand.Rand, min, max int) string {
	n := min + r.IntN(max-min+1)
	b := make([]byte, n)
	for i := range b {
		b[i] = vchars[r.IntN(len(vchars))]
	}
	for len(b) > 1 && b[len(b)-1] == ' ' {
		b = b[:len(b)-1]
	}
	for len(b) > 1 && b[0] == ' ' {
		b = b[1:]
	}
	return string(b)
}

func padded(prefix string, v int64) string {
	b := make([]byte, 0, len(prefix)+9)
	b = append(b, prefix...)
	s := strconv.FormatInt(v, 10)
	for range 9 - len(s) {
		b = append(b, '0')
	}
	return string(append(b, s...))
}

type gen struct {
	sc     scale
	text   *textPool
	clerks []string
}

func (g *gen) regions(r *rand.Rand) []Region {
	rows := make([]Region, len(regionNames))
	for i, n := range regionNames {
		rows[i] = Region{RegionKey: int32(i), Name: n, Comment: g.text.text(r, 31, 115)}
	}
	return rows
}

func (g *gen) nations(r *rand.Rand) []Nation {
	rows := make([]Nation, len(nations))
	for i, n := range nations {
		rows[i] = Nation{NationKey: int32(i), Name: n.name, RegionKey: n.region, Comment: g.text.text(r, 31, 114)}
	}
	return rows
}

// suppliers generates keys [lo, hi). About SF*5 comments mention Customer Complaints and SF*5 Customer
// Recommends (clause 4.2.3), which Q16 filters on.
func (g *gen) suppliers(r *rand.Rand, lo, hi int64) []Supplier {
	rows := make([]Supplier, 0, hi-lo)
	for k := lo; k < hi; k++ {
		nk := int32(r.IntN(25))
		s := Supplier{
			SuppKey: k, Name: padded("Supplier#", k), Address: vstring(r, 10, 40), NationKey: nk,
			Phone: phone(r, nk), AcctBal: int64(r.IntN(1099999)) - 99999, Comment: g.text.text(r, 25, 100),
		}
		switch r.IntN(2000) {
		case 0:
			s.Comment = insertPhrase(r, s.Comment, "Complaints")
		case 1:
			s.Comment = insertPhrase(r, s.Comment, "Recommends")
		}
		rows = append(rows, s)
	}
	return rows
}

// insertPhrase overwrites part of a comment with "Customer <filler> <word>" keeping its length under 101.
func insertPhrase(r *rand.Rand, c, word string) string {
	phrase := "Customer " + c[:min(len(c), r.IntN(10))] + " " + word
	if len(c) < len(phrase)+2 {
		return phrase
	}
	at := r.IntN(len(c) - len(phrase))
	return c[:at] + phrase + c[at+len(phrase):]
}

func (g *gen) customers(r *rand.Rand, lo, hi int64) []Customer {
	rows := make([]Customer, 0, hi-lo)
	for k := lo; k < hi; k++ {
		nk := int32(r.IntN(25))
		rows = append(rows, Customer{
			CustKey: k, Name: padded("Customer#", k), Address: vstring(r, 10, 40), NationKey: nk,
			Phone: phone(r, nk), AcctBal: int64(r.IntN(1099999)) - 99999,
			MktSegment: segments[r.IntN(len(segments))], Comment: g.text.text(r, 29, 116),
		})
	}
	return rows
}

func (g *gen) parts(r *rand.Rand, lo, hi int64) ([]Part, []PartSupp) {
	parts := make([]Part, 0, hi-lo)
	ps := make([]PartSupp, 0, 4*(hi-lo))
	var name []byte
	for k := lo; k < hi; k++ {
		name = name[:0]
		var used [5]int
		for i := range 5 {
		draw:
			c := r.IntN(len(colors))
			for _, u := range used[:i] {
				if u == c {
					goto draw
				}
			}
			used[i] = c
			if i > 0 {
				name = append(name, ' ')
			}
			name = append(name, colors[c]...)
		}
		m := 1 + r.IntN(5)
		parts = append(parts, Part{
			PartKey: k, Name: string(name), Mfgr: "Manufacturer#" + strconv.Itoa(m),
			Brand: "Brand#" + strconv.Itoa(m) + strconv.Itoa(1+r.IntN(5)),
			Type:  partTypes[r.IntN(len(partTypes))], Size: int32(1 + r.IntN(50)),
			Container: containers[r.IntN(len(containers))], RetailPrice: retailPrice(k), Comment: g.text.text(r, 5, 22),
		})
		for i := range int64(4) {
			ps = append(ps, PartSupp{
				PartKey: k, SuppKey: partSuppKey(k, i, g.sc.suppliers), AvailQty: int32(1 + r.IntN(9999)),
				SupplyCost: int64(100 + r.IntN(99901)), Comment: g.text.text(r, 49, 198),
			})
		}
	}
	return parts, ps
}

// orders generates orders with indices [lo, hi) and their line items (clause 4.2.3): the order's status and
// total derive from its lines, ship/commit/receipt dates from the order date, the return flag and line status
// from CURRENTDATE 1995-06-17.
func (g *gen) orders(r *rand.Rand, lo, hi int64) ([]Order, []LineItem) {
	orders := make([]Order, 0, hi-lo)
	lines := make([]LineItem, 0, 4*(hi-lo)+8)
	sc := g.sc
	for i := lo; i < hi; i++ {
		ok := orderKey(i)
		var cust int64
		for {
			// Every third customer places no order (Q13 and Q22 count them).
			cust = 1 + r.Int64N(sc.customers)
			if cust%3 != 0 || sc.customers < 3 {
				break
			}
		}
		od := startDate + int32(r.IntN(int(endDate-151-startDate+1)))
		o := Order{
			OrderKey: ok, CustKey: cust, OrderDate: od, OrderPriority: priorities[r.IntN(5)],
			Clerk: g.clerks[r.IntN(len(g.clerks))], Comment: g.text.text(r, 19, 78),
		}
		n := 1 + r.IntN(7)
		var total int64
		nf := 0
		for ln := 1; ln <= n; ln++ {
			pk := 1 + r.Int64N(sc.parts)
			qty := int64(1 + r.IntN(50))
			l := LineItem{
				OrderKey: ok, PartKey: pk, SuppKey: partSuppKey(pk, int64(r.IntN(4)), sc.suppliers),
				LineNumber: int32(ln), Quantity: qty * 100, ExtendedPrice: qty * retailPrice(pk),
				Discount: int64(r.IntN(11)), Tax: int64(r.IntN(9)),
				ShipDate:     od + int32(1+r.IntN(121)),
				CommitDate:   od + int32(30+r.IntN(61)),
				ShipInstruct: instructions[r.IntN(4)], ShipMode: shipModes[r.IntN(7)],
				Comment: g.text.text(r, 10, 43),
			}
			l.ReceiptDate = l.ShipDate + int32(1+r.IntN(30))
			if l.ReceiptDate <= currentDate {
				if r.IntN(2) == 0 {
					l.ReturnFlag = "R"
				} else {
					l.ReturnFlag = "A"
				}
			} else {
				l.ReturnFlag = "N"
			}
			if l.ShipDate > currentDate {
				l.LineStatus = "O"
			} else {
				l.LineStatus = "F"
				nf++
			}
			// extendedprice * (1+tax) * (1-discount), rounded to the cent.
			total += (l.ExtendedPrice*(100+l.Tax)*(100-l.Discount) + 5000) / 10000
			lines = append(lines, l)
		}
		o.TotalPrice = total
		switch nf {
		case n:
			o.OrderStatus = "F"
		case 0:
			o.OrderStatus = "O"
		default:
			o.OrderStatus = "P"
		}
		orders = append(orders, o)
	}
	return orders, lines
}
