package openfda

// drug is one medicinal product with the openfda harmonisation block the API attaches to it.
type drug struct {
	product, substance, brand, generic, manufacturer string
	application                                      string // NDA/ANDA/BLA number, drugauthorizationnumb is its digits
	route, routeCode, form                           string
	indications                                      []string
	epc, moa                                         string
	unii, rxcui                                      string
	ndc                                              string
	dose                                             string // drugdosagetext
	weight                                           int
}

// drugs are weighted roughly by how often they appear in FAERS; ASPIRIN is frequent because it is a common
// concomitant drug, which is what makes its PRR meaningful.
var drugs = []drug{
	{"ASPIRIN", "ASPIRIN", "BAYER ASPIRIN", "ASPIRIN", "Bayer HealthCare LLC.", "NDA019217", "ORAL", "048", "TABLET", []string{"CARDIOVASCULAR EVENT PROPHYLAXIS", "PAIN", "ANTIPLATELET THERAPY", "MYOCARDIAL INFARCTION"}, "Platelet Aggregation Inhibitor [EPC]", "Cyclooxygenase Inhibitors [MoA]", "R16CO5Y76E", "1191", "0280-2000", "81 MG, QD", 80},
	{"PREDNISONE", "PREDNISONE", "PREDNISONE", "PREDNISONE", "West-Ward Pharmaceuticals Corp", "ANDA080352", "ORAL", "048", "TABLET", []string{"RHEUMATOID ARTHRITIS", "ASTHMA", "INFLAMMATION"}, "Corticosteroid [EPC]", "Corticosteroid Hormone Receptor Agonists [MoA]", "VB0R961HZT", "8640", "0054-4728", "10 MG, QD", 40},
	{"METHOTREXATE", "METHOTREXATE", "METHOTREXATE", "METHOTREXATE SODIUM", "Hospira Inc.", "ANDA040266", "ORAL", "048", "TABLET", []string{"RHEUMATOID ARTHRITIS", "PSORIASIS"}, "Folate Analog Metabolic Inhibitor [EPC]", "Folic Acid Metabolism Inhibitors [MoA]", "YL5FZ2Y5U1", "6851", "0054-4550", "15 MG, QW", 30},
	{"HUMIRA", "ADALIMUMAB", "HUMIRA", "ADALIMUMAB", "AbbVie Inc.", "BLA125057", "SUBCUTANEOUS", "058", "INJECTION", []string{"RHEUMATOID ARTHRITIS", "CROHN^S DISEASE", "PSORIASIS"}, "Tumor Necrosis Factor Blocker [EPC]", "Tumor Necrosis Factor Receptor Blocking Activity [MoA]", "FYS6T7F842", "327361", "0074-3799", "40 MG, Q2WK", 60},
	{"ENBREL", "ETANERCEPT", "ENBREL", "ETANERCEPT", "Immunex Corporation", "BLA103795", "SUBCUTANEOUS", "058", "INJECTION", []string{"RHEUMATOID ARTHRITIS", "PSORIATIC ARTHROPATHY"}, "Tumor Necrosis Factor Blocker [EPC]", "Tumor Necrosis Factor Receptor Blocking Activity [MoA]", "OP401G7OJC", "214555", "58406-435", "50 MG, QW", 50},
	{"LIPITOR", "ATORVASTATIN CALCIUM", "LIPITOR", "ATORVASTATIN CALCIUM", "Pfizer Laboratories Div Pfizer Inc", "NDA020702", "ORAL", "048", "TABLET", []string{"HYPERCHOLESTEROLAEMIA", "BLOOD CHOLESTEROL INCREASED"}, "HMG-CoA Reductase Inhibitor [EPC]", "Hydroxymethylglutaryl-CoA Reductase Inhibitors [MoA]", "48A5M73Z4Q", "83367", "0071-0155", "20 MG, QD", 35},
	{"WARFARIN", "WARFARIN SODIUM", "COUMADIN", "WARFARIN SODIUM", "Bristol-Myers Squibb Pharma Company", "NDA009218", "ORAL", "048", "TABLET", []string{"ATRIAL FIBRILLATION", "DEEP VEIN THROMBOSIS", "ANTICOAGULANT THERAPY"}, "Vitamin K Antagonist [EPC]", "Vitamin K Inhibitors [MoA]", "5Q7ZVV76EI", "11289", "0056-0172", "5 MG, QD", 25},
	{"CLOPIDOGREL", "CLOPIDOGREL BISULFATE", "PLAVIX", "CLOPIDOGREL BISULFATE", "Bristol-Myers Squibb/Sanofi Pharmaceuticals Partnership", "NDA020839", "ORAL", "048", "TABLET", []string{"ACUTE CORONARY SYNDROME", "STENT PLACEMENT"}, "P2Y12 Platelet Inhibitor [EPC]", "P2Y12 Receptor Antagonists [MoA]", "08I79HTP27", "32968", "63653-1171", "75 MG, QD", 25},
	{"METFORMIN", "METFORMIN HYDROCHLORIDE", "GLUCOPHAGE", "METFORMIN HYDROCHLORIDE", "Bristol-Myers Squibb Company", "NDA020357", "ORAL", "048", "TABLET", []string{"TYPE 2 DIABETES MELLITUS"}, "Biguanide [EPC]", "", "786Z46389E", "6809", "0087-6060", "500 MG, BID", 35},
	{"LYRICA", "PREGABALIN", "LYRICA", "PREGABALIN", "Parke-Davis Div of Pfizer Inc", "NDA021446", "ORAL", "048", "CAPSULE", []string{"NEUROPATHIC PAIN", "FIBROMYALGIA"}, "Anti-epileptic Agent [EPC]", "", "55JG375S6M", "187832", "0071-1013", "75 MG, BID", 30},
	{"IBUPROFEN", "IBUPROFEN", "ADVIL", "IBUPROFEN", "Pfizer Consumer Healthcare", "NDA018989", "ORAL", "048", "TABLET", []string{"PAIN", "PYREXIA", "HEADACHE"}, "Nonsteroidal Anti-inflammatory Drug [EPC]", "Cyclooxygenase Inhibitors [MoA]", "WK2XYI10QM", "5640", "0573-0150", "400 MG, PRN", 25},
	{"OMEPRAZOLE", "OMEPRAZOLE", "PRILOSEC", "OMEPRAZOLE", "AstraZeneca Pharmaceuticals LP", "NDA019810", "ORAL", "048", "CAPSULE", []string{"GASTROOESOPHAGEAL REFLUX DISEASE", "DYSPEPSIA"}, "Proton Pump Inhibitor [EPC]", "Proton Pump Inhibitors [MoA]", "KG60484QX9", "7646", "0186-0606", "20 MG, QD", 25},
	{"NEXIUM", "ESOMEPRAZOLE MAGNESIUM", "NEXIUM", "ESOMEPRAZOLE MAGNESIUM", "AstraZeneca Pharmaceuticals LP", "NDA021153", "ORAL", "048", "CAPSULE", []string{"GASTROOESOPHAGEAL REFLUX DISEASE"}, "Proton Pump Inhibitor [EPC]", "Proton Pump Inhibitors [MoA]", "R6DXU4WAY9", "283742", "0186-5020", "40 MG, QD", 20},
	{"XARELTO", "RIVAROXABAN", "XARELTO", "RIVAROXABAN", "Janssen Pharmaceuticals Inc.", "NDA022406", "ORAL", "048", "TABLET", []string{"ATRIAL FIBRILLATION", "DEEP VEIN THROMBOSIS"}, "Factor Xa Inhibitor [EPC]", "Factor Xa Inhibitors [MoA]", "9NDF7JZ4M3", "1114195", "50458-580", "20 MG, QD", 25},
	{"SEROQUEL", "QUETIAPINE FUMARATE", "SEROQUEL", "QUETIAPINE FUMARATE", "AstraZeneca Pharmaceuticals LP", "NDA020639", "ORAL", "048", "TABLET", []string{"SCHIZOPHRENIA", "BIPOLAR DISORDER", "DEPRESSION"}, "Atypical Antipsychotic [EPC]", "", "2S3PL1B6UJ", "51272", "0310-0271", "100 MG, QHS", 25},
	{"XANAX", "ALPRAZOLAM", "XANAX", "ALPRAZOLAM", "Pharmacia and Upjohn Company", "NDA018276", "ORAL", "048", "TABLET", []string{"ANXIETY", "PANIC DISORDER"}, "Benzodiazepine [EPC]", "", "YU55MQ3IZY", "596", "0009-0029", "0.5 MG, TID", 15},
	{"LETAIRIS", "AMBRISENTAN", "LETAIRIS", "AMBRISENTAN", "Gilead Sciences Inc", "NDA022081", "ORAL", "048", "TABLET", []string{"PULMONARY ARTERIAL HYPERTENSION"}, "Endothelin Receptor Antagonist [EPC]", "Endothelin Receptor Antagonists [MoA]", "HW6NV07QEC", "722116", "61958-0801", "10 MG, UNK", 20},
	{"REVLIMID", "LENALIDOMIDE", "REVLIMID", "LENALIDOMIDE", "Celgene Corporation", "NDA021880", "ORAL", "048", "CAPSULE", []string{"PLASMA CELL MYELOMA", "MYELODYSPLASTIC SYNDROME"}, "Thalidomide Analog [EPC]", "", "F0P408N6V4", "342369", "59572-410", "25 MG, QD", 30},
	{"MIRENA", "LEVONORGESTREL", "MIRENA", "LEVONORGESTREL", "Bayer HealthCare Pharmaceuticals Inc.", "NDA021225", "INTRAUTERINE", "015", "INTRAUTERINE DEVICE", []string{"CONTRACEPTION"}, "Progestin [EPC]", "", "5W7SIA7YZW", "1425005", "50419-421", "20 UG/DAY", 25},
	{"LANTUS", "INSULIN GLARGINE", "LANTUS", "INSULIN GLARGINE", "sanofi-aventis U.S. LLC", "NDA021081", "SUBCUTANEOUS", "058", "INJECTION", []string{"DIABETES MELLITUS"}, "Insulin Analog [EPC]", "Insulin Receptor Agonists [MoA]", "2ZM8CX04RZ", "261551", "0088-2220", "20 IU, QD", 25},
	{"SPIRIVA", "TIOTROPIUM BROMIDE", "SPIRIVA", "TIOTROPIUM BROMIDE MONOHYDRATE", "Boehringer Ingelheim Pharmaceuticals Inc.", "NDA021395", "RESPIRATORY (INHALATION)", "055", "CAPSULE", []string{"CHRONIC OBSTRUCTIVE PULMONARY DISEASE"}, "Anticholinergic [EPC]", "Cholinergic Antagonists [MoA]", "XX112XZP0J", "274783", "0597-0075", "18 UG, QD", 15},
	{"LISINOPRIL", "LISINOPRIL", "ZESTRIL", "LISINOPRIL", "AstraZeneca Pharmaceuticals LP", "NDA019777", "ORAL", "048", "TABLET", []string{"HYPERTENSION"}, "Angiotensin Converting Enzyme Inhibitor [EPC]", "Angiotensin-converting Enzyme Inhibitors [MoA]", "E7199S1YWR", "29046", "0310-0134", "10 MG, QD", 30},
	{"AMLODIPINE", "AMLODIPINE BESYLATE", "NORVASC", "AMLODIPINE BESYLATE", "Pfizer Laboratories Div Pfizer Inc", "NDA019787", "ORAL", "048", "TABLET", []string{"HYPERTENSION"}, "Calcium Channel Blocker [EPC]", "Calcium Channel Antagonists [MoA]", "864V2Q084H", "17767", "0069-1520", "5 MG, QD", 25},
	{"ACETAMINOPHEN", "ACETAMINOPHEN", "TYLENOL", "ACETAMINOPHEN", "McNeil Consumer Healthcare Div McNeil-PPC Inc", "NDA019872", "ORAL", "048", "TABLET", []string{"PAIN", "PYREXIA"}, "Analgesic [EPC]", "", "362O9ITL9D", "161", "50580-488", "500 MG, PRN", 25},
	{"RANITIDINE", "RANITIDINE HYDROCHLORIDE", "ZANTAC", "RANITIDINE HYDROCHLORIDE", "Boehringer Ingelheim Pharmaceuticals Inc.", "NDA018703", "ORAL", "048", "TABLET", []string{"DYSPEPSIA"}, "Histamine-2 Receptor Antagonist [EPC]", "Histamine H2 Receptor Antagonists [MoA]", "BK76465IHM", "9143", "0597-0120", "150 MG, BID", 10},
	{"SIMVASTATIN", "SIMVASTATIN", "ZOCOR", "SIMVASTATIN", "Merck Sharp & Dohme Corp.", "NDA019766", "ORAL", "048", "TABLET", []string{"HYPERCHOLESTEROLAEMIA"}, "HMG-CoA Reductase Inhibitor [EPC]", "Hydroxymethylglutaryl-CoA Reductase Inhibitors [MoA]", "AGG2FN16EV", "36567", "0006-0740", "40 MG, QD", 25},
	{"CASODEX", "BICALUTAMIDE", "CASODEX", "BICALUTAMIDE", "AstraZeneca Pharmaceuticals LP", "NDA020498", "ORAL", "048", "TABLET", []string{"PROSTATE CANCER"}, "Androgen Receptor Inhibitor [EPC]", "Androgen Receptor Antagonists [MoA]", "A0Z3NAU9DP", "83008", "0310-0705", "50 MG, QD", 10},
	{"AVONEX", "INTERFERON BETA-1A", "AVONEX", "INTERFERON BETA-1A", "Biogen Idec Inc.", "BLA103628", "INTRAMUSCULAR", "030", "INJECTION", []string{"MULTIPLE SCLEROSIS"}, "Interferon beta [EPC]", "", "XRO4566Q4R", "72257", "59627-001", "30 UG, QW", 30},
}

// reactions are MedDRA preferred terms with relative frequencies.
var reactions = []struct {
	pt     string
	weight int
}{
	{"DRUG INEFFECTIVE", 60}, {"NAUSEA", 50}, {"FATIGUE", 45}, {"HEADACHE", 40}, {"DYSPNOEA", 40},
	{"DIARRHOEA", 38}, {"PAIN", 35}, {"DEATH", 25}, {"DIZZINESS", 30}, {"VOMITING", 30}, {"PYREXIA", 25},
	{"RASH", 25}, {"MALAISE", 20}, {"ARTHRALGIA", 20}, {"PNEUMONIA", 20}, {"FALL", 20}, {"ASTHENIA", 20},
	{"PRURITUS", 18}, {"OEDEMA PERIPHERAL", 15}, {"ANXIETY", 15}, {"INSOMNIA", 15}, {"HYPERTENSION", 15},
	{"WEIGHT DECREASED", 14}, {"ABDOMINAL PAIN", 14}, {"BACK PAIN", 12}, {"CHEST PAIN", 12}, {"COUGH", 12},
	{"DEPRESSION", 12}, {"ANAEMIA", 12}, {"MYOCARDIAL INFARCTION", 10}, {"CEREBROVASCULAR ACCIDENT", 10},
	{"RENAL FAILURE ACUTE", 8}, {"HAEMORRHAGE", 8}, {"GASTROINTESTINAL HAEMORRHAGE", 8}, {"MELAENA", 5},
	{"HAEMATOCHEZIA", 4}, {"UPPER GASTROINTESTINAL HAEMORRHAGE", 4}, {"THROMBOCYTOPENIA", 8}, {"HYPOTENSION", 8},
	{"CONDITION AGGRAVATED", 15}, {"OFF LABEL USE", 15}, {"INJECTION SITE PAIN", 12}, {"DRUG INTERACTION", 8},
	{"OVERDOSE", 6}, {"CONFUSIONAL STATE", 8}, {"SOMNOLENCE", 8}, {"URINARY TRACT INFECTION", 8},
	{"PULMONARY EMBOLISM", 6}, {"DEEP VEIN THROMBOSIS", 6}, {"ATRIAL FIBRILLATION", 6}, {"HEPATIC ENZYME INCREASED", 6},
}

var countries = []struct {
	name, code string
	weight     int
}{
	{"UNITED STATES", "US", 70}, {"CANADA", "CA", 5}, {"UNITED KINGDOM", "GB", 6}, {"GERMANY", "DE", 5},
	{"FRANCE", "FR", 5}, {"JAPAN", "JP", 5}, {"ITALY", "IT", 4},
}

var companies = []string{"PFIZER INC", "GILEAD", "JNJFOC", "NOVARTIS", "ROCHE", "BAYER", "AMGEN", "ABBVIE",
	"ASTRAZENECA", "MERCK", "SANOFI", "TEVA", "BRISTOL-MYERS SQUIBB", "ELI LILLY AND CO", "GLAXOSMITHKLINE"}

const (
	disclaimer = "Do not rely on openFDA to make decisions regarding medical care. While we make every effort to ensure that data is accurate, you should assume all results are unvalidated. We may limit or otherwise restrict your access to the API in line with our Terms of Service."
	terms      = "https://open.fda.gov/terms/"
	license    = "https://open.fda.gov/license/"
)
