package json

import (
	"strings"
	"testing"
)

func TestLinesTypes(t *testing.T) {
	tests := []struct {
		name  string
		props map[string]string
		cols  []string
		data  string
		want  string
	}{
		{"scalars", nil, []string{"a bigint", "b string", "c double", "d boolean"},
			`{"a": 1, "b": "x", "c": 2.5, "d": true}` + "\n" + `{"a": -7, "b": "y\"z", "c": -1e3, "d": false}` + "\n",
			"1|x|2.5|true\n-7|y\"z|-1000|false\n"},
		{"case-insensitive keys, missing and extra", nil, []string{"userid bigint", "name string"},
			`{"UserId": 5, "extra": {"deep": [1,2,{"x":null}]}, "NAME": "n"}` + "\n" + `{"other": 1}` + "\n",
			"5|n\nNULL|NULL\n"},
		{"number into varchar keeps its text", nil, []string{"s string"},
			`{"s": 1.50}` + "\n" + `{"s": -0}` + "\n" + `{"s": 1e10}` + "\n" + `{"s": true}` + "\n",
			"1.50\n-0\n1e10\ntrue\n"},
		{"nested into varchar is JSON text", nil, []string{"s string"},
			`{"s": {"a": [1, 2]}}` + "\n" + `{"s": [true,null]}` + "\n",
			`{"a": [1, 2]}` + "\n" + "[true,null]\n"},
		{"strings into numbers", nil, []string{"a bigint", "b int", "c double", "d decimal(5,2)", "e boolean"},
			`{"a": "123", "b": " -4 ", "c": "2.5", "d": "1.005", "e": "TRUE"}` + "\n" + `{"a": "", "b": "", "c": "", "d": "", "e": ""}` + "\n",
			"123|-4|2.5|1.01|true\nNULL|NULL|NULL|NULL|NULL\n"},
		{"integral numbers with fraction or exponent", nil, []string{"a bigint", "b tinyint"},
			`{"a": 1.0, "b": 1e2}` + "\n",
			"1|100\n"},
		{"small ints", nil, []string{"a tinyint", "b smallint", "c integer", "d real"},
			`{"a": -128, "b": 32767, "c": 2147483647, "d": 0.5}` + "\n",
			"-128|32767|2147483647|0.5\n"},
		{"decimals", nil, []string{"a decimal(10,2)", "b decimal(30,4)"},
			`{"a": 12.345, "b": -123456789012345678901.23456}` + "\n",
			"12.35|-123456789012345678901.2346\n"},
		{"date and timestamp", nil, []string{"d date", "ts timestamp", "tz timestamp(6) with time zone"},
			`{"d": "2024-02-29", "ts": "2024-01-02 03:04:05.678", "tz": "2024-01-02T03:04:05.123456+01:00"}` + "\n",
			"2024-02-29|2024-01-02T03:04:05.678|2024-01-02T02:04:05.123456Z\n"},
		{"escapes and unicode", nil, []string{"s string"},
			`{"s": "a\u00e9\n\t\\\/\ud83d\ude00"}` + "\n" + `{"s": "lone \ud800 surrogate"}` + "\n",
			"a\u00e9\n\t\\/\U0001F600\nlone \uFFFD surrogate\n"},
		{"varchar(n) and char(n)", nil, []string{"a varchar(3)", "b char(4)"},
			`{"a": "héllo", "b": "ab  "}` + "\n",
			"hél|ab\n"},
		{"nulls", nil, []string{"a bigint", "b string", "c array<int>", "d struct<x:int>"},
			`{"a": null, "b": null, "c": null, "d": null}` + "\n",
			"NULL|NULL|NULL|NULL\n"},
		{"blank lines, CRLF and BOM", nil, []string{"a int"},
			"\xef\xbb\xbf{\"a\": 1}\r\n\r\n   \n{\"a\": 2}",
			"1\n2\n"},
		{"first duplicate key wins", nil, []string{"a int"},
			`{"a": 1, "A": 2, "a": 3}` + "\n",
			"1\n"},
		{"mapping renames", map[string]string{"mapping.ts": "timestamp", "mapping.b": "A"}, []string{"ts string", "b int", "a int"},
			`{"timestamp": "now", "a": 5}` + "\n",
			"now|5|5\n"},
		{"dots in keys", map[string]string{"dots.in.keys": "true"}, []string{"a_b int", "s struct<c_d:int>"},
			`{"a.b": 1, "s": {"C.D": 2}}` + "\n",
			"1|{\"c_d\":2}\n"},
		{"case sensitive", map[string]string{"case.insensitive": "false"}, []string{"a int", "b int"},
			`{"A": 1, "a": 2, "b": 3}` + "\n",
			"2|3\n"},
		{"use.null.for.invalid.data", map[string]string{"use.null.for.invalid.data": "true"}, []string{"a int", "b array<int>", "c struct<x:int>"},
			`{"a": "abc", "b": [1, "x", 3], "c": [1]}` + "\n" + `{"a": 1e100, "b": {"x": 1}, "c": {"x": true}}` + "\n",
			"NULL|[1,null,3]|NULL\nNULL|NULL|{\"x\":null}\n"},
		{"map columns", nil, []string{"m map<string,int>", "k map<int,string>"},
			`{"m": {"a": 1, "b": null}, "k": {"10": "x"}}` + "\n",
			`[{"key":"a","value":1},{"key":"b","value":null}]|[{"key":10,"value":"x"}]` + "\n"},
		{"invalid UTF-8 is repaired", nil, []string{"s string", "n string", "m map<string,string>"},
			"{\"s\": \"a\xffb\xc3\", \"n\": [\"\xe2\x82\"], \"m\": {\"k\xfe\": \"v\"}, \"x\xff\": 1}\n",
			"a\uFFFDb\uFFFD|[\"\uFFFD\uFFFD\"]|[{\"key\":\"k\uFFFD\",\"value\":\"v\"}]\n"},
		{"json columns keep JSON text", nil, []string{"j json", "k json"},
			`{"j": "a\"b", "k": {"x": [1]}}` + "\n" + `{"j": 1.50, "k": null}` + "\n",
			`"a\"b"|{"x": [1]}` + "\n" + "1.50|NULL\n"},
		{"null line", nil, []string{"a int"}, "null\n{\"a\": 1}", "NULL\n1\n"},
		{"null element of a json array", nil, []string{"a int"},
			`[{"a": 1}, null, {"a": 3}]`,
			"1\nNULL\n3\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readString(t, tableOf(tc.props, tc.cols...), tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestLinesErrors(t *testing.T) {
	tests := []struct {
		name  string
		props map[string]string
		cols  []string
		data  string
		want  []string // substrings of the error
	}{
		{"malformed line", nil, []string{"a int"},
			"{\"a\": 1}\n{\"a\": 2,, }\n", []string{"/t/x.json", "line 2", "byte offset 17", "malformed JSON", "ignore.malformed.json"}},
		{"truncated line", nil, []string{"a int"},
			"{\"a\": 1}\n{\"a\": \"abc", []string{"line 2", "end of data"}},
		{"not an object", nil, []string{"a int"},
			"{\"a\": 1}\n42\n", []string{"line 2", "not a JSON object"}},
		{"bad value", nil, []string{"a int"},
			"{\"a\": 1}\n{\"a\": \"abc\"}\n", []string{"line 2", "byte offset 15", "column a", `"\"abc\""`, "integer"}},
		{"out of range", nil, []string{"a tinyint"},
			"{\"a\": 300}\n", []string{"line 1", "column a", "tinyint"}},
		{"nested bad value", nil, []string{"p struct<q:array<struct<r:bigint>>>"},
			`{"p": {"q": [{"r": 1}, {"r": "x"}]}}`, []string{"column p.q.r", "bigint"}},
		{"trailing garbage", nil, []string{"a int"},
			`{"a": 1} x`, []string{"line 1", "after the JSON object"}},
		{"invalid utf-8 outside strings", nil, []string{"a int"},
			"{\"a\": 1, \xff}\n", []string{"line 1", "byte 0xff"}},
		{"control character", nil, []string{"a string"},
			"{\"a\": \"x\x01\"}\n", []string{"control character"}},
		{"deep nesting", nil, []string{"a string"},
			`{"a": ` + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "}", []string{"nesting deeper"}},
		{"bad property", map[string]string{"ignore.malformed.json": "yes"}, []string{"a int"},
			"{}", []string{"ignore.malformed.json", "yes"}},
		{"unsupported type", nil, []string{"a interval day to second"},
			"{}", []string{"column a", "not supported"}},
		{"record too long", nil, []string{"a string"},
			"{\"a\": \"" + strings.Repeat("x", 5000) + "\"}\n", []string{"line 1", "longer than 1024 bytes", PropMaxRecordBytes}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tbl := tableOf(tc.props, tc.cols...)
			tbl.Properties = map[string]string{PropMaxRecordBytes: "1024"}
			if tc.name != "record too long" {
				tbl.Properties = nil
			}
			_, err := readString(t, tbl, tc.data)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestIgnoreMalformed(t *testing.T) {
	data := "{\"a\": 1, \"b\": \"x\"}\n{\"a\": 2,, }\n[1,2]\n{\"a\": 3, \"b\": \"unterminated\n{\"a\": 4, \"b\": \"\xff\xfe\"}\n{\"a\": 5} junk\n"
	props := map[string]string{"ignore.malformed.json": "TRUE"}
	got, err := readString(t, tableOf(props, "a int", "b string"), data)
	if err != nil {
		t.Fatal(err)
	}
	want := "1|x\nNULL|NULL\nNULL|NULL\nNULL|NULL\n4|\uFFFD\uFFFD\nNULL|NULL\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// Without the property the same file fails at line 2.
	_, err = readString(t, tableOf(nil, "a int", "b string"), data)
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("error %v, want one naming line 2", err)
	}
}
