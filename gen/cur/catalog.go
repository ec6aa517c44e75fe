package cur

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
)

type region struct {
	code, prefix, location string
	priceFactor            float64
	weight                 int
}

// us-east-1 usage types carry no region prefix in real CURs, except data transfer which we prefix so the
// seed's REGEXP_LIKE(..., 'DataTransfer-In') patterns meet both 'USE1-DataTransfer-Out-Bytes' and the bare form.
var regions = []region{
	{"us-east-1", "USE1", "US East (N. Virginia)", 1.0, 45},
	{"us-west-2", "USW2", "US West (Oregon)", 1.0, 25},
	{"eu-west-1", "EU", "EU (Ireland)", 1.1, 15},
	{"eu-central-1", "EUC1", "EU (Frankfurt)", 1.15, 10},
	{"ap-northeast-1", "APN1", "Asia Pacific (Tokyo)", 1.25, 5},
}

type instanceType struct {
	name                          string
	rate, norm                    float64
	vcpu, memory, ecu, network    string
	family, processor, clockSpeed string
}

var ec2Types = []instanceType{
	{"t3.micro", 0.0104, 0.5, "2", "1 GiB", "Variable", "Up to 5 Gigabit", "General purpose", "Intel Skylake E5 2686 v5", "3.1 GHz"},
	{"t3.medium", 0.0416, 2, "2", "4 GiB", "Variable", "Up to 5 Gigabit", "General purpose", "Intel Skylake E5 2686 v5", "3.1 GHz"},
	{"m5.large", 0.096, 4, "2", "8 GiB", "10", "Up to 10 Gigabit", "General purpose", "Intel Xeon Platinum 8175", "3.1 GHz"},
	{"m5.xlarge", 0.192, 8, "4", "16 GiB", "16", "Up to 10 Gigabit", "General purpose", "Intel Xeon Platinum 8175", "3.1 GHz"},
	{"m5.2xlarge", 0.384, 16, "8", "32 GiB", "37", "Up to 10 Gigabit", "General purpose", "Intel Xeon Platinum 8175", "3.1 GHz"},
	{"c5.xlarge", 0.17, 8, "4", "8 GiB", "20", "Up to 10 Gigabit", "Compute optimized", "Intel Xeon Platinum 8124M", "3.4 GHz"},
	{"r5.large", 0.126, 4, "2", "16 GiB", "10", "Up to 10 Gigabit", "Memory optimized", "Intel Xeon Platinum 8175", "3.1 GHz"},
	{"r5.2xlarge", 0.504, 16, "8", "64 GiB", "37", "Up to 10 Gigabit", "Memory optimized", "Intel Xeon Platinum 8175", "3.1 GHz"},
}

var rdsTypes = []instanceType{
	{"db.t3.medium", 0.068, 2, "2", "4 GiB", "", "Up to 5 Gigabit", "General purpose", "Intel Xeon Platinum 8175", "2.5 GHz"},
	{"db.m5.large", 0.171, 4, "2", "8 GiB", "", "Up to 10 Gigabit", "General purpose", "Intel Xeon Platinum 8175", "3.1 GHz"},
	{"db.r5.large", 0.25, 4, "2", "16 GiB", "", "Up to 10 Gigabit", "Memory optimized", "Intel Xeon Platinum 8175", "3.1 GHz"},
	{"db.r5.2xlarge", 1.0, 16, "8", "64 GiB", "", "Up to 10 Gigabit", "Memory optimized", "Intel Xeon Platinum 8175", "3.1 GHz"},
}

type kind int

const (
	kInstance kind = iota // EC2 box usage: one instance-hour per row
	kDBInstance
	kStorage  // GB-Mo prorated per hour
	kTransfer // GB per hour
	kRequests // request counts
	kCompute  // Lambda GB-seconds
	kCapacity // DynamoDB capacity unit hours
)

// usage is a priced usage type template; the rate is us-east-1's list price per unit.
type usage struct {
	product                 string
	usageType, operation    string
	unit, family            string
	rate                    float64
	kind                    kind
	weight                  int
	descFmt                 string // %s is the rate
	transferType            string // for data transfer: the product/transferType
	storageClass, volume    string
	interRegion, prefixBare bool // prefixBare: us-east-1 keeps no prefix
}

type product struct {
	code, name, serviceCode string
}

var products = map[string]product{
	"AmazonEC2":        {"AmazonEC2", "Amazon Elastic Compute Cloud", "AmazonEC2"},
	"AmazonS3":         {"AmazonS3", "Amazon Simple Storage Service", "AmazonS3"},
	"AmazonRDS":        {"AmazonRDS", "Amazon Relational Database Service", "AmazonRDS"},
	"AWSDataTransfer":  {"AWSDataTransfer", "AWS Data Transfer", "AWSDataTransfer"},
	"AmazonCloudFront": {"AmazonCloudFront", "Amazon CloudFront", "AmazonCloudFront"},
	"AWSLambda":        {"AWSLambda", "AWS Lambda", "AWSLambda"},
	"AmazonDynamoDB":   {"AmazonDynamoDB", "Amazon DynamoDB", "AmazonDynamoDB"},
	"AmazonCloudWatch": {"AmazonCloudWatch", "AmazonCloudWatch", "AmazonCloudWatch"},
}

// usages are weighted by how often their line items appear in a typical mid-size account's hourly CUR.
var usages = []usage{
	{product: "AmazonEC2", usageType: "BoxUsage", operation: "RunInstances", unit: "Hrs", family: "Compute Instance", kind: kInstance, weight: 300, prefixBare: true},
	{product: "AmazonEC2", usageType: "EBS:VolumeUsage.gp3", operation: "CreateVolume-Gp3", unit: "GB-Mo", family: "Storage", rate: 0.08, kind: kStorage, weight: 90, descFmt: "$%s per GB-month of General Purpose (gp3) provisioned storage", volume: "General Purpose", prefixBare: true},
	{product: "AmazonEC2", usageType: "EBS:SnapshotUsage", operation: "CreateSnapshot", unit: "GB-Mo", family: "Storage Snapshot", rate: 0.05, kind: kStorage, weight: 25, descFmt: "$%s per GB-Month of snapshot data stored", prefixBare: true},
	{product: "AmazonEC2", usageType: "NatGateway-Hours", operation: "NatGateway", unit: "Hrs", family: "NAT Gateway", rate: 0.045, kind: kCapacity, weight: 20, descFmt: "$%s per NAT Gateway Hour", prefixBare: true},
	{product: "AmazonEC2", usageType: "DataTransfer-Regional-Bytes", operation: "InterZone-In", unit: "GB", family: "Data Transfer", rate: 0.01, kind: kTransfer, weight: 45, descFmt: "$%s per GB - regional data transfer - in/out/between EC2 AZs or using elastic IPs or ELB", transferType: "IntraRegion", prefixBare: true},
	{product: "AmazonS3", usageType: "TimedStorage-ByteHrs", operation: "StandardStorage", unit: "GB-Mo", family: "Storage", rate: 0.023, kind: kStorage, weight: 60, descFmt: "$%s per GB - first 50 TB / month of storage used", storageClass: "General Purpose", prefixBare: true},
	{product: "AmazonS3", usageType: "Requests-Tier1", operation: "PutObject", unit: "Requests", family: "API Request", rate: 0.000005, kind: kRequests, weight: 40, descFmt: "$%s per PUT / COPY / POST or LIST requests", prefixBare: true},
	{product: "AmazonS3", usageType: "Requests-Tier2", operation: "GetObject", unit: "Requests", family: "API Request", rate: 0.0000004, kind: kRequests, weight: 40, descFmt: "$%s per GET and all other requests", prefixBare: true},
	{product: "AmazonS3", usageType: "DataTransfer-Out-Bytes", operation: "GetObject", unit: "GB", family: "Data Transfer", rate: 0.09, kind: kTransfer, weight: 25, descFmt: "$%s per GB - first 10 TB / month data transfer out beyond the global free tier", transferType: "AWS Outbound"},
	{product: "AmazonS3", usageType: "DataTransfer-In-Bytes", operation: "PutObject", unit: "GB", family: "Data Transfer", rate: 0, kind: kTransfer, weight: 20, descFmt: "$%s per GB - data transfer in per month", transferType: "AWS Inbound"},
	{product: "AmazonRDS", usageType: "InstanceUsage", operation: "CreateDBInstance:0002", unit: "Hrs", family: "Database Instance", kind: kDBInstance, weight: 60, prefixBare: true},
	{product: "AmazonRDS", usageType: "RDS:GP2-Storage", operation: "CreateDBInstance:0002", unit: "GB-Mo", family: "Database Storage", rate: 0.115, kind: kStorage, weight: 25, descFmt: "$%s per GB-month of provisioned GP2 storage running MySQL", volume: "General Purpose", prefixBare: true},
	{product: "AWSDataTransfer", usageType: "DataTransfer-Out-Bytes", operation: "RunInstances", unit: "GB", family: "Data Transfer", rate: 0.09, kind: kTransfer, weight: 55, descFmt: "$%s per GB - first 10 TB / month data transfer out beyond the global free tier", transferType: "AWS Outbound"},
	{product: "AWSDataTransfer", usageType: "DataTransfer-In-Bytes", operation: "RunInstances", unit: "GB", family: "Data Transfer", rate: 0, kind: kTransfer, weight: 35, descFmt: "$%s per GB - data transfer in per month", transferType: "AWS Inbound"},
	{product: "AWSDataTransfer", usageType: "DataTransfer-Regional-Bytes", operation: "PublicIP-In", unit: "GB", family: "Data Transfer", rate: 0.01, kind: kTransfer, weight: 25, descFmt: "$%s per GB - regional data transfer - in/out/between EC2 AZs or using elastic IPs or ELB", transferType: "IntraRegion", prefixBare: true},
	{product: "AWSDataTransfer", usageType: "AWS-Out-Bytes", operation: "RunInstances", unit: "GB", family: "Data Transfer", rate: 0.02, kind: kTransfer, weight: 15, descFmt: "$%s per GB - inter-region data transfer out", transferType: "InterRegion Outbound", interRegion: true},
	{product: "AmazonCloudFront", usageType: "DataTransfer-Out-Bytes", operation: "GET", unit: "GB", family: "Data Transfer", rate: 0.085, kind: kTransfer, weight: 30, descFmt: "$%s per GB - first 10 TB / month data transfer out (United States)", transferType: "CloudFront Outbound"},
	{product: "AmazonCloudFront", usageType: "Requests-Tier1", operation: "GET", unit: "Requests", family: "Request", rate: 0.00000075, kind: kRequests, weight: 20, descFmt: "$%s per 10000 HTTP requests"},
	{product: "AWSLambda", usageType: "Lambda-GB-Second", operation: "Invoke", unit: "Lambda-GB-Second", family: "Serverless", rate: 0.0000166667, kind: kCompute, weight: 45, descFmt: "AWS Lambda - Total Compute - $%s per GB-Second", prefixBare: true},
	{product: "AWSLambda", usageType: "Request", operation: "Invoke", unit: "Requests", family: "Serverless", rate: 0.0000002, kind: kRequests, weight: 30, descFmt: "AWS Lambda - Total Requests - $%s per request", prefixBare: true},
	{product: "AmazonDynamoDB", usageType: "ReadCapacityUnit-Hrs", operation: "CommittedThroughput", unit: "ReadCapacityUnit-Hrs", family: "Provisioned IOPS", rate: 0.00013, kind: kCapacity, weight: 25, descFmt: "$%s per hour for units of read capacity for a month", prefixBare: true},
	{product: "AmazonDynamoDB", usageType: "WriteCapacityUnit-Hrs", operation: "CommittedThroughput", unit: "WriteCapacityUnit-Hrs", family: "Provisioned IOPS", rate: 0.00065, kind: kCapacity, weight: 25, descFmt: "$%s per hour for units of write capacity for a month", prefixBare: true},
	{product: "AmazonDynamoDB", usageType: "TimedStorage-ByteHrs", operation: "StandardStorage", unit: "GB-Mo", family: "Database Storage", rate: 0.25, kind: kStorage, weight: 15, descFmt: "$%s per GB-Month of storage used beyond first 25 free GB-Months", prefixBare: true},
	{product: "AmazonCloudWatch", usageType: "CW:MetricMonitorUsage", operation: "MetricStorage", unit: "Metrics", family: "Metric", rate: 0.3, kind: kStorage, weight: 15, descFmt: "$%s per metric-month - first 10000 metrics", prefixBare: true},
}

// resource is one billed thing (an instance, a bucket, a table) with the fields that stay constant across its
// hourly line items; rows only vary time, amount and cost.
type resource struct {
	u          *usage
	account    string
	region     *region
	az         string
	id         string
	usageType  string
	rate       float64 // on-demand unit price in this region
	rateStr    string
	desc       string
	it         *instanceType
	sku        string
	size       float64 // GB stored, GB/hour transferred, capacity units, ...
	toRegion   *region
	tagName    string
	tagCost    string
	tagSegment string
	reserved   bool // covered by a reservation: its hours appear as DiscountedUsage
	savings    bool // covered by a Savings Plan
	resARN     string
}

var (
	costCategories = []string{"engineering", "data-platform", "marketing", "research", "shared-services", "security"}
	namePrefixes   = []string{"web", "api", "etl", "analytics", "search", "batch", "ml-train", "billing", "auth", "cache", "logs", "frontend"}
	environments   = []string{"prod", "staging", "dev"}
)

// segmentOf draws a customer segment with the mix a multi-tenant SaaS reports; "" is an untagged resource.
func segmentOf(r *rand.Rand) string {
	switch x := r.IntN(100); {
	case x < 35:
		return "enterprise"
	case x < 60:
		return "smb"
	case x < 80:
		return "startup"
	case x < 90:
		return "internal"
	default:
		return ""
	}
}

func pickWeighted[T any](r *rand.Rand, items []T, weight func(*T) int, total int) *T {
	x := r.IntN(total)
	for i := range items {
		x -= weight(&items[i])
		if x < 0 {
			return &items[i]
		}
	}
	return &items[len(items)-1]
}

const hexDigits = "0123456789abcdef"

func randHex(r *rand.Rand, n int) string {
	var b strings.Builder
	b.Grow(n)
	for range n {
		b.WriteByte(hexDigits[r.IntN(16)])
	}
	return b.String()
}

func randAlnum(r *rand.Rand, n int) string {
	const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[r.IntN(len(digits))]
	}
	return string(b)
}

// rateString renders a unit price the way AWS descriptions do: no trailing zeros, at least 3 decimals.
func rateString(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".000"
	}
	for len(s)-strings.IndexByte(s, '.') < 4 {
		s += "0"
	}
	return s
}

func newResources(r *rand.Rand, n int, accounts []string) []resource {
	totalUsage := 0
	for i := range usages {
		totalUsage += usages[i].weight
	}
	totalRegion := 0
	for i := range regions {
		totalRegion += regions[i].weight
	}
	res := make([]resource, n)
	for i := range res {
		u := pickWeighted(r, usages, func(u *usage) int { return u.weight }, totalUsage)
		reg := pickWeighted(r, regions, func(g *region) int { return g.weight }, totalRegion)
		x := &res[i]
		x.u = u
		x.account = accounts[r.IntN(len(accounts))]
		x.region = reg
		x.az = reg.code + string(rune('a'+r.IntN(3)))
		x.rate = u.rate * reg.priceFactor
		x.usageType = u.usageType
		x.sku = randAlnum(r, 16)
		x.size = 1
		env := environments[r.IntN(len(environments))]
		base := namePrefixes[r.IntN(len(namePrefixes))]
		name := fmt.Sprintf("%s-%s-%d", base, env, r.IntN(40)+1)
		switch u.kind {
		case kInstance:
			x.it = &ec2Types[r.IntN(len(ec2Types))]
			x.usageType = "BoxUsage:" + x.it.name
			x.rate = x.it.rate * reg.priceFactor
			x.id = "i-0" + randHex(r, 16)
			x.reserved = env == "prod" && r.IntN(100) < 55
			x.savings = !x.reserved && r.IntN(100) < 20
		case kDBInstance:
			x.it = &rdsTypes[r.IntN(len(rdsTypes))]
			x.usageType = "InstanceUsage:" + x.it.name
			x.rate = x.it.rate * reg.priceFactor
			x.id = fmt.Sprintf("arn:aws:rds:%s:%s:db:%s", reg.code, x.account, name)
			x.reserved = env == "prod" && r.IntN(100) < 60
		case kStorage:
			x.size = float64(20 + r.IntN(2000))
			switch u.product {
			case "AmazonS3":
				x.id = fmt.Sprintf("%s-%s-%s", base, env, randHex(r, 6))
				x.size = float64(100 + r.IntN(50000))
			case "AmazonDynamoDB":
				x.id = fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s", reg.code, x.account, name)
			case "AmazonRDS":
				x.id = fmt.Sprintf("arn:aws:rds:%s:%s:db:%s", reg.code, x.account, name)
			case "AmazonCloudWatch":
				x.size = float64(10 + r.IntN(500))
			default:
				if strings.Contains(u.usageType, "Snapshot") {
					x.id = fmt.Sprintf("arn:aws:ec2:%s:%s:snapshot/snap-0%s", reg.code, x.account, randHex(r, 16))
				} else {
					x.id = "vol-0" + randHex(r, 16)
				}
			}
		case kTransfer:
			x.size = 0.01 + r.ExpFloat64()*8
			switch u.product {
			case "AmazonS3":
				x.id = fmt.Sprintf("%s-%s-%s", base, env, randHex(r, 6))
			case "AmazonCloudFront":
				x.id = fmt.Sprintf("arn:aws:cloudfront::%s:distribution/E%s", x.account, randAlnum(r, 13))
			default:
				x.id = "i-0" + randHex(r, 16)
			}
			if u.interRegion {
				to := &regions[r.IntN(len(regions))]
				for to == reg {
					to = &regions[r.IntN(len(regions))]
				}
				x.toRegion = to
				x.usageType = reg.prefix + "-" + to.prefix + "-" + u.usageType
			}
		case kRequests:
			x.size = float64(100 + r.IntN(200000))
			switch u.product {
			case "AWSLambda":
				x.id = fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", reg.code, x.account, name)
				x.savings = r.IntN(100) < 15
			case "AmazonCloudFront":
				x.id = fmt.Sprintf("arn:aws:cloudfront::%s:distribution/E%s", x.account, randAlnum(r, 13))
			default:
				x.id = fmt.Sprintf("%s-%s-%s", base, env, randHex(r, 6))
			}
		case kCompute:
			x.size = float64(100 + r.IntN(400000))
			x.id = fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", reg.code, x.account, name)
			x.savings = r.IntN(100) < 25
		case kCapacity:
			x.size = float64(1 + r.IntN(500))
			if u.product == "AmazonDynamoDB" {
				x.id = fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s", reg.code, x.account, name)
			} else {
				x.size = 1
				x.id = fmt.Sprintf("arn:aws:ec2:%s:%s:natgateway/nat-0%s", reg.code, x.account, randHex(r, 16))
			}
		}
		switch {
		case u.product == "AmazonCloudFront":
			x.usageType = "US-" + x.usageType
		case x.toRegion != nil:
		case reg.code != "us-east-1" || !u.prefixBare:
			x.usageType = reg.prefix + "-" + x.usageType
		}
		x.rateStr = rateString(x.rate)
		switch u.kind {
		case kInstance:
			x.desc = fmt.Sprintf("$%s per On Demand Linux %s Instance Hour", x.rateStr, x.it.name)
		case kDBInstance:
			x.desc = fmt.Sprintf("$%s per RDS %s Single-AZ instance hour (or partial hour) running MySQL", x.rateStr, x.it.name)
		default:
			x.desc = fmt.Sprintf(u.descFmt, x.rateStr)
		}
		if r.IntN(100) >= 15 {
			x.tagName = name
		}
		if r.IntN(100) >= 20 {
			x.tagCost = costCategories[r.IntN(len(costCategories))]
		}
		x.tagSegment = segmentOf(r)
		if x.reserved {
			x.resARN = fmt.Sprintf("arn:aws:ec2:%s:%s:reserved-instances/%s", reg.code, accounts[0], uuidFrom(r))
			if u.kind == kDBInstance {
				x.resARN = fmt.Sprintf("arn:aws:rds:%s:%s:ri:ri-%s", reg.code, accounts[0], randHex(r, 12))
			}
		}
	}
	return res
}

// uuidFrom formats 128 random bits as a version-4 UUID, drawn from r so assemblies are reproducible.
func uuidFrom(r *rand.Rand) string {
	var b [16]byte
	for i := 0; i < 16; i += 8 {
		v := r.Uint64()
		for j := range 8 {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
