package openfda

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/zip"
)

type document struct {
	Meta struct {
		Disclaimer  string `json:"disclaimer"`
		Terms       string `json:"terms"`
		License     string `json:"license"`
		LastUpdated string `json:"last_updated"`
		Results     struct {
			Skip  int `json:"skip"`
			Limit int `json:"limit"`
			Total int `json:"total"`
		} `json:"results"`
	} `json:"meta"`
	Results []struct {
		SafetyReportID      string `json:"safetyreportid"`
		SafetyReportVersion string `json:"safetyreportversion"`
		ReceiptDate         string `json:"receiptdate"`
		ReceiveDate         string `json:"receivedate"`
		Serious             string `json:"serious"`
		CompanyNumb         string `json:"companynumb"`
		Patient             struct {
			PatientSex string `json:"patientsex"`
			Drug       []struct {
				MedicinalProduct     string `json:"medicinalproduct"`
				DrugCharacterization string `json:"drugcharacterization"`
				DrugIndication       string `json:"drugindication"`
				Route                string `json:"drugadministrationroute"`
				AuthorizationNumb    string `json:"drugauthorizationnumb"`
				ActiveSubstance      struct {
					Name string `json:"activesubstancename"`
				} `json:"activesubstance"`
				OpenFDA map[string][]string `json:"openfda"`
			} `json:"drug"`
			Reaction []struct {
				PT      string `json:"reactionmeddrapt"`
				Version string `json:"reactionmeddraversionpt"`
				Outcome string `json:"reactionoutcome"`
			} `json:"reaction"`
		} `json:"patient"`
	} `json:"results"`
}

func readDocs(t *testing.T, paths []string) ([]document, [][]byte) {
	t.Helper()
	var docs []document
	var raws [][]byte
	for _, p := range paths {
		zr, err := zip.OpenReader(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if len(zr.File) != 1 {
			t.Fatalf("%s: %d entries, want 1", p, len(zr.File))
		}
		if want := strings.TrimSuffix(filepath.Base(p), ".zip"); zr.File[0].Name != want {
			t.Errorf("%s: entry %q, want %q", p, zr.File[0].Name, want)
		}
		rc, err := zr.File[0].Open()
		if err != nil {
			t.Fatal(err)
		}
		raw, err := io.ReadAll(rc)
		rc.Close()
		zr.Close()
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		var d document
		if err := json.Unmarshal(raw, &d); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		docs = append(docs, d)
		raws = append(raws, raw)
	}
	return docs, raws
}

func TestGenerateShape(t *testing.T) {
	out := t.TempDir()
	res, err := Generate(context.Background(), Options{Out: out, Reports: 3001, Files: 3, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Files != 3 || res.Reports != 3001 {
		t.Fatalf("Result = %+v, want 3 files, 3001 reports", res)
	}
	for i, want := range []string{"drug-event-0001-of-0003.json.zip", "drug-event-0002-of-0003.json.zip", "drug-event-0003-of-0003.json.zip"} {
		if filepath.Base(res.Paths[i]) != want {
			t.Errorf("path %d = %s, want %s", i, res.Paths[i], want)
		}
	}
	docs, raws := readDocs(t, res.Paths)
	ids := map[string]bool{}
	var total int
	for i, d := range docs {
		if !bytes.HasPrefix(raws[i], []byte("{\n  \"meta\": {\n    \"disclaimer\": ")) {
			t.Errorf("file %d is not indented like the real downloads: %.40q", i, raws[i])
		}
		if d.Meta.Results.Total != len(d.Results) || d.Meta.Results.Limit != len(d.Results) || d.Meta.License == "" {
			t.Errorf("file %d: meta %+v for %d results", i, d.Meta, len(d.Results))
		}
		total += len(d.Results)
		for _, r := range d.Results {
			if ids[r.SafetyReportID] {
				t.Fatalf("duplicate safetyreportid %s", r.SafetyReportID)
			}
			ids[r.SafetyReportID] = true
			if len(r.ReceiptDate) != 8 || r.ReceiptDate < "20040101" || r.ReceiptDate > "20161231" {
				t.Fatalf("report %s: receiptdate %q", r.SafetyReportID, r.ReceiptDate)
			}
			if len(r.Patient.Drug) == 0 || len(r.Patient.Reaction) == 0 {
				t.Fatalf("report %s: %d drugs, %d reactions", r.SafetyReportID, len(r.Patient.Drug), len(r.Patient.Reaction))
			}
			for _, dr := range r.Patient.Drug {
				if dr.MedicinalProduct == "" || dr.ActiveSubstance.Name == "" || dr.Route == "" {
					t.Fatalf("report %s: incomplete drug %+v", r.SafetyReportID, dr)
				}
			}
		}
	}
	if total != 3001 {
		t.Errorf("total results %d, want 3001", total)
	}
}

// TestAspirinGIHaemorrhagePRR computes the seed's PRR over all years: it must exceed 1.
func TestAspirinGIHaemorrhagePRR(t *testing.T) {
	res, err := Generate(context.Background(), Options{Out: t.TempDir(), Reports: 20000, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	docs, _ := readDocs(t, res.Paths)
	var m, n, M, N float64
	years := map[string]bool{}
	for _, d := range docs {
		for _, r := range d.Results {
			y := r.ReceiptDate[:4]
			if y < "2005" || y > "2015" {
				continue
			}
			years[y] = true
			drug, event := false, false
			for _, dr := range r.Patient.Drug {
				drug = drug || dr.MedicinalProduct == "ASPIRIN"
			}
			for _, rc := range r.Patient.Reaction {
				event = event || rc.PT == "GASTROINTESTINAL HAEMORRHAGE"
			}
			N++
			if drug {
				n++
			}
			if event {
				M++
			}
			if drug && event {
				m++
			}
		}
	}
	prr := (m / n) / ((M - m) / (N - n))
	t.Logf("m=%v n=%v M=%v N=%v PRR=%.2f", m, n, M, N, prr)
	if prr < 1.5 || len(years) != 11 {
		t.Errorf("PRR = %.2f over %d years, want > 1.5 over 11", prr, len(years))
	}
}

func TestGenerateDeterministic(t *testing.T) {
	read := func(seed int64) []byte {
		res, err := Generate(context.Background(), Options{Out: t.TempDir(), Reports: 200, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(res.Paths[0])
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if !bytes.Equal(read(5), read(5)) {
		t.Error("same seed produced different archives")
	}
	if bytes.Equal(read(5), read(6)) {
		t.Error("different seeds produced identical archives")
	}
}

func TestGenerateErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts Options
		want string
	}{
		{"no out", Options{}, "Out is empty"},
		{"negative", Options{Out: t.TempDir(), Reports: -3}, "negative"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Generate(context.Background(), tc.opts); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}
