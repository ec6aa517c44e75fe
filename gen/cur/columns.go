package cur

import "strings"

// NumColumns is the number of columns in every generated file (the OpenCSVSerde DDL's count).
const NumColumns = len(ddlColumns)

// Column is one entry of the manifest's "columns" array.
type Column struct {
	Category string `json:"category"`
	Name     string `json:"name"`
	Type     string `json:"type"`
}

// tagHeaderNames maps the DDL's flattened tag columns back to the AWS header names: AWS writes user-defined
// cost allocation tags as resourceTags/user:<key>, and the DDL lost the colon and the case.
var tagHeaderNames = map[string]string{
	"resourceTags_userName":         "user:Name",
	"resourceTags_usercostcategory": "user:CostCategory",
	"resourceTags_customersegment":  "user:customer-segment",
}

// Columns returns the manifest columns in file order.
func Columns() []Column {
	cols := make([]Column, NumColumns)
	for i, ddl := range ddlColumns {
		cat, name, _ := strings.Cut(ddl, "_")
		if n, ok := tagHeaderNames[ddl]; ok {
			name = n
		}
		cols[i] = Column{Category: cat, Name: name, Type: columnType(cat, name)}
	}
	return cols
}

// Header returns the header row's names (category/Name), as AWS writes them.
func Header() []string {
	cols := Columns()
	h := make([]string, len(cols))
	for i, c := range cols {
		h[i] = c.Category + "/" + c.Name
	}
	return h
}

// columnType follows the type vocabulary of AWS manifests.
func columnType(cat, name string) string {
	switch cat + "/" + name {
	case "identity/TimeInterval":
		return "Interval"
	case "bill/BillingPeriodStartDate", "bill/BillingPeriodEndDate", "lineItem/UsageStartDate", "lineItem/UsageEndDate":
		return "DateTime"
	case "lineItem/UsageAmount", "lineItem/UnblendedCost", "lineItem/BlendedCost":
		return "BigDecimal"
	case "lineItem/NormalizationFactor", "lineItem/NormalizedUsageAmount", "lineItem/UnblendedRate",
		"lineItem/BlendedRate", "pricing/publicOnDemandCost", "pricing/publicOnDemandRate":
		return "OptionalBigDecimal"
	}
	switch cat {
	case "identity", "bill", "lineItem":
		return "String"
	}
	return "OptionalString"
}

// colIndex returns the position of a DDL column; it panics on a name missing from the DDL because that is a
// programming error in this package, caught by any test run.
func colIndex(ddl string) int {
	for i, c := range ddlColumns {
		if strings.EqualFold(c, ddl) {
			return i
		}
	}
	panic("BUG: cur: unknown column " + ddl)
}

var (
	cLineItemID      = colIndex("identity_LineItemId")
	cTimeInterval    = colIndex("identity_TimeInterval")
	cInvoiceID       = colIndex("bill_InvoiceId")
	cBillingEntity   = colIndex("bill_BillingEntity")
	cBillType        = colIndex("bill_BillType")
	cPayer           = colIndex("bill_PayerAccountId")
	cBPStart         = colIndex("bill_BillingPeriodStartDate")
	cBPEnd           = colIndex("bill_BillingPeriodEndDate")
	cUsageAccount    = colIndex("lineItem_UsageAccountId")
	cLineItemType    = colIndex("lineItem_LineItemType")
	cUsageStart      = colIndex("lineItem_UsageStartDate")
	cUsageEnd        = colIndex("lineItem_UsageEndDate")
	cProductCode     = colIndex("lineItem_ProductCode")
	cUsageType       = colIndex("lineItem_UsageType")
	cOperation       = colIndex("lineItem_Operation")
	cAZ              = colIndex("lineItem_AvailabilityZone")
	cResourceID      = colIndex("lineItem_ResourceId")
	cUsageAmount     = colIndex("lineItem_UsageAmount")
	cNormFactor      = colIndex("lineItem_NormalizationFactor")
	cNormAmount      = colIndex("lineItem_NormalizedUsageAmount")
	cCurrency        = colIndex("lineItem_CurrencyCode")
	cUnblendedRate   = colIndex("lineItem_UnblendedRate")
	cUnblendedCost   = colIndex("lineItem_UnblendedCost")
	cBlendedRate     = colIndex("lineItem_BlendedRate")
	cBlendedCost     = colIndex("lineItem_BlendedCost")
	cDescription     = colIndex("lineItem_LineItemDescription")
	cTaxType         = colIndex("lineItem_TaxType")
	cProductName     = colIndex("product_ProductName")
	cAvailability    = colIndex("product_availability")
	cClockSpeed      = colIndex("product_clockSpeed")
	cCurrentGen      = colIndex("product_currentGeneration")
	cDatabaseEngine  = colIndex("product_databaseEngine")
	cDeployment      = colIndex("product_deploymentOption")
	cDurability      = colIndex("product_durability")
	cEcu             = colIndex("product_ecu")
	cFromLocation    = colIndex("product_fromLocation")
	cFromLocType     = colIndex("product_fromLocationType")
	cGroup           = colIndex("product_group")
	cInstanceFamily  = colIndex("product_instanceFamily")
	cInstanceType    = colIndex("product_instanceType")
	cLicenseModel    = colIndex("product_licenseModel")
	cLocation        = colIndex("product_location")
	cLocationType    = colIndex("product_locationType")
	cMemory          = colIndex("product_memory")
	cNetworkPerf     = colIndex("product_networkPerformance")
	cOS              = colIndex("product_operatingSystem")
	cProdOperation   = colIndex("product_operation")
	cPhysProcessor   = colIndex("product_physicalProcessor")
	cPreInstalledSw  = colIndex("product_preInstalledSw")
	cProcArch        = colIndex("product_processorArchitecture")
	cProductFamily   = colIndex("product_productFamily")
	cServiceCode     = colIndex("product_servicecode")
	cSku             = colIndex("product_sku")
	cStorage         = colIndex("product_storage")
	cStorageClass    = colIndex("product_storageClass")
	cStorageMedia    = colIndex("product_storageMedia")
	cTenancy         = colIndex("product_tenancy")
	cToLocation      = colIndex("product_toLocation")
	cToLocType       = colIndex("product_toLocationType")
	cTransferType    = colIndex("product_transferType")
	cUsageFamily     = colIndex("product_usageFamily")
	cProdUsageType   = colIndex("product_usagetype")
	cVcpu            = colIndex("product_vcpu")
	cVolumeType      = colIndex("product_volumeType")
	cLeaseLength     = colIndex("pricing_LeaseContractLength")
	cOfferingClass   = colIndex("pricing_OfferingClass")
	cPurchaseOption  = colIndex("pricing_PurchaseOption")
	cPublicODCost    = colIndex("pricing_publicOnDemandCost")
	cPublicODRate    = colIndex("pricing_publicOnDemandRate")
	cTerm            = colIndex("pricing_term")
	cUnit            = colIndex("pricing_unit")
	cResAZ           = colIndex("reservation_AvailabilityZone")
	cResNormPerRes   = colIndex("reservation_NormalizedUnitsPerReservation")
	cResNumber       = colIndex("reservation_NumberOfReservations")
	cResARN          = colIndex("reservation_ReservationARN")
	cResTotalNorm    = colIndex("reservation_TotalReservedNormalizedUnits")
	cResTotalUnits   = colIndex("reservation_TotalReservedUnits")
	cResUnitsPerRes  = colIndex("reservation_UnitsPerReservation")
	cTagName         = colIndex("resourceTags_userName")
	cTagCostCategory = colIndex("resourceTags_usercostcategory")
	cTagSegment      = colIndex("resourceTags_customersegment")
)
