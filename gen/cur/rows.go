package cur

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

type generator struct {
	opts      Options
	accounts  []string
	resources []resource
	reserved  []*resource // hours billed as DiscountedUsage, plus a monthly RIFee
	savings   []*resource // hours billed as SavingsPlanCoveredUsage
}

func (g *generator) index() {
	for i := range g.resources {
		r := &g.resources[i]
		if r.reserved {
			g.reserved = append(g.reserved, r)
		}
		if r.savings {
			g.savings = append(g.savings, r)
		}
	}
}

// Line item type mix per 10000 rows, close to what an account with partial RI and Savings Plan coverage sees.
// Monthly lines (RIFee, Fee, Tax) are rarer but large, so about a quarter of spend lands on RI line items.
var lineItemMix = []struct {
	typ    string
	weight int
}{
	{"Usage", 7570},
	{"DiscountedUsage", 1300},
	{"SavingsPlanCoveredUsage", 700},
	{"Tax", 250},
	{"Credit", 150},
	{"RIFee", 20},
	{"Fee", 10},
}

// heavyUsage names the RI fee usage type after the covered usage (BoxUsage:m5.large -> HeavyUsage:m5.large).
var heavyUsage = strings.NewReplacer("BoxUsage", "HeavyUsage", "InstanceUsage", "HeavyUsage")

const isoSecond = "2006-01-02T15:04:05Z"

type rowWriter struct {
	g      *generator
	p      *period
	r      *rand.Rand
	hours  int
	fields [NumColumns]string
	buf    []byte
	// per-period constants
	bpStart, bpEnd string
	hourStr        []string // ISO start of every hour of the period, shared by rows
}

func newRowWriter(g *generator, p *period, j fileJob) *rowWriter {
	w := &rowWriter{
		g:       g,
		p:       p,
		r:       rand.New(rand.NewPCG(uint64(g.opts.Seed)^0x5851f42d4c957f2d, j.seed)),
		hours:   j.hours,
		bpStart: p.start.Format(isoSecond),
		bpEnd:   p.end.Format(isoSecond),
	}
	if j.stale {
		// An earlier delivery saw only the first part of the month.
		w.hours = max(1, j.hours*2/3)
	}
	w.hourStr = make([]string, w.hours+1)
	for h := range w.hourStr {
		w.hourStr[h] = p.start.Add(time.Duration(h) * time.Hour).Format(isoSecond)
	}
	return w
}

func (w *rowWriter) header() []byte {
	w.buf = w.buf[:0]
	for i, h := range Header() {
		if i > 0 {
			w.buf = append(w.buf, ',')
		}
		w.buf = append(w.buf, h...)
	}
	return append(w.buf, '\n')
}

// dec renders a decimal the way CUR does for costs and rates: fixed ten decimals.
func dec(v float64) string { return strconv.FormatFloat(v, 'f', 10, 64) }

const base32 = "abcdefghijklmnopqrstuvwxyz234567"

func (w *rowWriter) lineItemID() string {
	var b [52]byte
	for i := 0; i < len(b); {
		v := w.r.Uint64()
		for k := 0; k < 12 && i < len(b); k++ {
			b[i] = base32[v&31]
			v >>= 5
			i++
		}
	}
	return string(b[:])
}

func (w *rowWriter) pickType() string {
	x := w.r.IntN(10000)
	for _, m := range lineItemMix {
		x -= m.weight
		if x < 0 {
			return m.typ
		}
	}
	return "Usage"
}

// next renders one data row, newline included; the slice is valid until the next call.
func (w *rowWriter) next() []byte {
	f := &w.fields
	clear(f[:])
	r := w.r
	g := w.g
	typ := w.pickType()
	var res *resource
	switch typ {
	case "DiscountedUsage", "RIFee":
		if len(g.reserved) > 0 {
			res = g.reserved[r.IntN(len(g.reserved))]
		}
	case "SavingsPlanCoveredUsage":
		if len(g.savings) > 0 {
			res = g.savings[r.IntN(len(g.savings))]
		}
	}
	if res == nil {
		res = &g.resources[r.IntN(len(g.resources))]
		if typ == "DiscountedUsage" || typ == "RIFee" || typ == "SavingsPlanCoveredUsage" {
			typ = "Usage"
		}
	}
	u := res.u
	prod := products[u.product]

	hour := r.IntN(w.hours)
	start, end := w.hourStr[hour], w.hourStr[hour+1]
	monthly := typ == "RIFee" || typ == "Fee" || typ == "Tax"
	if monthly {
		start, end = w.bpStart, w.bpEnd
	}

	f[cLineItemID] = w.lineItemID()
	f[cTimeInterval] = start + "/" + end
	f[cInvoiceID] = w.p.invoice
	f[cBillingEntity] = "AWS"
	f[cBillType] = "Anniversary"
	f[cPayer] = g.accounts[0]
	f[cBPStart] = w.bpStart
	f[cBPEnd] = w.bpEnd
	f[cUsageAccount] = res.account
	f[cLineItemType] = typ
	f[cUsageStart] = start
	f[cUsageEnd] = end
	f[cProductCode] = prod.code
	f[cCurrency] = "USD"
	f[cProductName] = prod.name
	f[cServiceCode] = prod.serviceCode
	f[cLocation] = res.region.location
	f[cLocationType] = "AWS Region"
	f[cTagName] = res.tagName
	f[cTagCostCategory] = res.tagCost
	f[cTagSegment] = res.tagSegment

	switch typ {
	case "Tax":
		amount := 0.5 + r.ExpFloat64()*40
		f[cUsageAmount] = "1.0000000000"
		f[cUnblendedCost] = dec(amount)
		f[cBlendedCost] = f[cUnblendedCost]
		f[cDescription] = "Tax for product code " + prod.code
		f[cTaxType] = "Sales Tax"
		f[cUsageAccount] = g.accounts[0]
		f[cTagName], f[cTagCostCategory], f[cTagSegment] = "", "", ""
		return w.render()
	case "Credit":
		amount := -(0.01 + r.ExpFloat64()*2)
		f[cUsageType] = res.usageType
		f[cOperation] = u.operation
		f[cUsageAmount] = "0.0000000000"
		f[cUnblendedCost] = dec(amount)
		f[cBlendedCost] = f[cUnblendedCost]
		f[cDescription] = "AWS Activate Credits"
		return w.render()
	case "Fee":
		amount := math.Round(29 + r.ExpFloat64()*120) // the support plan fee share billed to this line
		f[cProductCode] = "AWSSupportBusiness"
		f[cProductName] = "AWS Support (Business)"
		f[cServiceCode] = "AWSSupportBusiness"
		f[cUsageType] = "Dollar"
		f[cUsageAmount] = "1.0000000000"
		f[cUnblendedRate] = dec(amount)
		f[cUnblendedCost] = dec(amount)
		f[cBlendedRate] = f[cUnblendedRate]
		f[cBlendedCost] = f[cUnblendedCost]
		f[cDescription] = "AWS Support (Business) monthly fee"
		f[cUsageAccount] = g.accounts[0]
		f[cTagName], f[cTagCostCategory], f[cTagSegment] = "", "", ""
		return w.render()
	}

	f[cUsageType] = res.usageType
	f[cProdUsageType] = res.usageType
	f[cOperation] = u.operation
	f[cProdOperation] = u.operation
	f[cResourceID] = res.id
	f[cProductFamily] = u.family
	f[cSku] = res.sku
	f[cUnit] = u.unit
	f[cTerm] = "OnDemand"
	if u.kind != kTransfer && u.kind != kRequests && u.kind != kCompute {
		f[cAZ] = res.az
	}

	var amount float64
	switch u.kind {
	case kInstance, kDBInstance:
		amount = 1
	case kStorage:
		// Storage is billed in GB-months, prorated per hour.
		amount = res.size / float64(w.p.end.Sub(w.p.start)/time.Hour)
	case kTransfer:
		amount = res.size * (0.2 + 1.6*r.Float64())
	case kRequests:
		amount = math.Round(res.size * (0.3 + 1.4*r.Float64()))
	case kCompute:
		amount = math.Round(res.size*(0.3+1.4*r.Float64())*1000) / 1000
	case kCapacity:
		amount = res.size
	}
	rate := res.rate
	desc := res.desc

	if it := res.it; it != nil {
		f[cInstanceType] = it.name
		f[cInstanceFamily] = it.family
		f[cVcpu] = it.vcpu
		f[cMemory] = it.memory
		f[cNetworkPerf] = it.network
		f[cPhysProcessor] = it.processor
		f[cClockSpeed] = it.clockSpeed
		f[cCurrentGen] = "Yes"
		f[cProcArch] = "64-bit"
		f[cTenancy] = "Shared"
		f[cLicenseModel] = "No License required"
		f[cStorage] = "EBS only"
		f[cNormFactor] = strconv.FormatFloat(it.norm, 'f', -1, 64)
		if u.kind == kInstance {
			f[cEcu] = it.ecu
			f[cOS] = "Linux"
			f[cPreInstalledSw] = "NA"
		} else {
			f[cDatabaseEngine] = "MySQL"
			f[cDeployment] = "Single-AZ"
			f[cLicenseModel] = "No license required"
		}
	}
	if u.kind == kTransfer {
		f[cTransferType] = u.transferType
		f[cFromLocation] = res.region.location
		f[cFromLocType] = "AWS Region"
		switch {
		case res.toRegion != nil:
			f[cToLocation] = res.toRegion.location
			f[cToLocType] = "AWS Region"
		case u.transferType == "IntraRegion":
			f[cToLocation] = res.region.location
			f[cToLocType] = "AWS Region"
		case u.transferType == "AWS Inbound":
			f[cFromLocation], f[cFromLocType] = "External", ""
			f[cToLocation], f[cToLocType] = res.region.location, "AWS Region"
		default:
			f[cToLocation], f[cToLocType] = "External", ""
		}
		f[cUsageFamily] = "DataTransfer"
	}
	if u.storageClass != "" {
		f[cStorageClass] = u.storageClass
		f[cStorageMedia] = "SSD-backed"
		f[cAvailability] = "99.99%"
		f[cDurability] = "99.999999999%"
	}
	if u.volume != "" {
		f[cVolumeType] = u.volume
	}
	if u.product == "AmazonS3" && u.kind == kRequests {
		f[cGroup] = "S3-API-" + u.usageType[len("Requests-"):]
	}

	onDemand := amount * rate
	f[cPublicODRate] = dec(rate)
	f[cPublicODCost] = dec(onDemand)
	switch typ {
	case "DiscountedUsage", "RIFee":
		// Reserved hours are billed at the effective RI rate; the RIFee line carries a month of them.
		riRate := rate * 0.62
		if typ == "RIFee" {
			units := float64(1 + r.IntN(4))
			amount = units * float64(w.p.end.Sub(w.p.start)/time.Hour)
			f[cUsageType] = heavyUsage.Replace(res.usageType)
			f[cOperation] = "RunInstances"
			f[cResourceID] = ""
			f[cAZ] = ""
			desc = riDescription(res, riRate)
			f[cResTotalUnits] = strconv.FormatFloat(amount, 'f', -1, 64)
			f[cResNumber] = strconv.Itoa(int(units))
			f[cResUnitsPerRes] = strconv.FormatFloat(float64(w.p.end.Sub(w.p.start)/time.Hour), 'f', -1, 64)
		} else {
			desc = riDescription(res, riRate)
		}
		rate = riRate
		f[cTerm] = "Reserved"
		f[cLeaseLength] = "1yr"
		f[cOfferingClass] = "standard"
		f[cPurchaseOption] = "No Upfront"
		f[cResARN] = res.resARN
		f[cResAZ] = res.az
		if res.it != nil {
			f[cResNormPerRes] = strconv.FormatFloat(res.it.norm, 'f', -1, 64)
			f[cResTotalNorm] = strconv.FormatFloat(res.it.norm*amount, 'f', -1, 64)
		}
	case "SavingsPlanCoveredUsage":
		desc = f[cInstanceType] + " covered by Compute Savings Plan"
		if res.it == nil {
			desc = "Lambda usage covered by Compute Savings Plan"
		}
	}
	cost := amount * rate
	f[cUsageAmount] = dec(amount)
	if res.it != nil {
		f[cNormAmount] = dec(amount * res.it.norm)
	}
	f[cUnblendedRate] = dec(rate)
	f[cUnblendedCost] = dec(cost)
	f[cBlendedRate] = f[cUnblendedRate]
	f[cBlendedCost] = f[cUnblendedCost]
	f[cDescription] = desc
	return w.render()
}

func (w *rowWriter) render() []byte {
	b := w.buf[:0]
	for i := range w.fields {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, w.fields[i]...)
	}
	b = append(b, '\n')
	w.buf = b
	return b
}

func riDescription(res *resource, rate float64) string {
	if res.u.kind == kDBInstance {
		return "USD " + rateString(rate) + " hourly fee per MySQL " + res.it.name + " Single-AZ instance"
	}
	return "USD " + rateString(rate) + " hourly fee per Linux/UNIX (Amazon VPC) " + res.it.name + " instance"
}
