package function

import (
	"testing"

	"github.com/quarry-sql/quarry/types"
)

func TestJSONFunctions(t *testing.T) {
	jT := types.JSONType
	const doc = `{"a": {"b": [10, {"c": "x\"y"}], "n": null}, "key with space": true, "num": 1.50}`
	qtRun(t, "UTC", []qtCase{
		{"json_extract", []types.Type{jT, vcT}, []any{doc, "$.a.b"}, `[10,{"c":"x\"y"}]`, ""},
		{"json_extract", []types.Type{vcT, vcT}, []any{doc, "$.a.b[1]"}, `{"c":"x\"y"}`, ""},
		{"json_extract", []types.Type{jT, vcT}, []any{doc, `$["key with space"]`}, `true`, ""},
		{"json_extract", []types.Type{jT, vcT}, []any{doc, `$.a['n']`}, `null`, ""},
		{"json_extract", []types.Type{jT, vcT}, []any{doc, "$"}, `{"a":{"b":[10,{"c":"x\"y"}],"n":null},"key with space":true,"num":1.50}`, ""},
		{"json_extract", []types.Type{jT, vcT}, []any{doc, "$.missing"}, nil, ""},
		{"json_extract", []types.Type{jT, vcT}, []any{doc, "$.a.b[5]"}, nil, ""},
		{"json_extract", []types.Type{jT, vcT}, []any{`{"a": `, "$.a"}, nil, ""},
		{"json_extract", []types.Type{jT, vcT}, []any{doc, "a.b"}, nil, "Invalid JSON path: 'a.b'"},
		{"json_extract", []types.Type{jT, vcT}, []any{doc, "$.a[x]"}, nil, "Invalid JSON path"},
		{"json_extract", []types.Type{biT, vcT}, []any{1, "$"}, nil, "Unexpected parameters (bigint, varchar) for function json_extract"},
		{"json_extract_scalar", []types.Type{vcT, vcT}, []any{doc, "$.a.b[1].c"}, `x"y`, ""},
		{"json_extract_scalar", []types.Type{vcT, vcT}, []any{doc, "$.a.b[0]"}, `10`, ""},
		{"json_extract_scalar", []types.Type{vcT, vcT}, []any{doc, "$.num"}, `1.50`, ""},
		{"json_extract_scalar", []types.Type{vcT, vcT}, []any{doc, `$["key with space"]`}, `true`, ""},
		{"json_extract_scalar", []types.Type{vcT, vcT}, []any{doc, "$.a"}, nil, ""},
		{"json_extract_scalar", []types.Type{vcT, vcT}, []any{doc, "$.a.n"}, nil, ""},
		{"json_extract_scalar", []types.Type{vcT, vcT}, []any{`{"tag": "\u00e9t\u00e9"}`, "$.tag"}, "été", ""},
		{"json_extract_scalar", []types.Type{vcT, vcT}, []any{nil, "$.a"}, nil, ""},
		{"json_size", []types.Type{jT, vcT}, []any{doc, "$.a"}, int64(2), ""},
		{"json_size", []types.Type{jT, vcT}, []any{doc, "$.a.b"}, int64(2), ""},
		{"json_size", []types.Type{jT, vcT}, []any{doc, "$.num"}, int64(0), ""},
		{"json_size", []types.Type{jT, vcT}, []any{doc, "$.zzz"}, nil, ""},
		{"json_parse", []types.Type{vcT}, []any{`{"b": 1, "a": [true, null, "s"]}`}, `{"a":[true,null,"s"],"b":1}`, ""},
		{"json_parse", []types.Type{vcT}, []any{`"<tag>"`}, `"<tag>"`, ""},
		{"json_parse", []types.Type{vcT}, []any{`{"a": 1`}, nil, `Cannot convert value to JSON: '{"a": 1'`},
		{"json_parse", []types.Type{vcT}, []any{`1 2`}, nil, "Cannot convert value to JSON"},
		{"json_format", []types.Type{jT}, []any{`{"a": [1, 2]}`}, `{"a":[1,2]}`, ""},
		{"json_format", []types.Type{vcT}, []any{`{}`}, nil, "Unexpected parameters (varchar) for function json_format"},
		{"json_array_length", []types.Type{jT}, []any{`[1, [2, 3], {"a": 4}]`}, int64(3), ""},
		{"json_array_length", []types.Type{vcT}, []any{`[]`}, int64(0), ""},
		{"json_array_length", []types.Type{jT}, []any{`{"a": 1}`}, nil, ""},
		{"json_array_contains", []types.Type{jT, biT}, []any{`[1, 2, 3]`, 2}, true, ""},
		{"json_array_contains", []types.Type{jT, biT}, []any{`[1, 2.5, "3"]`, 3}, false, ""},
		{"json_array_contains", []types.Type{jT, types.DoubleType}, []any{`[1, 2.5]`, 2.5}, true, ""},
		{"json_array_contains", []types.Type{jT, vcT}, []any{`["a", "b"]`, "b"}, true, ""},
		{"json_array_contains", []types.Type{jT, types.BooleanType}, []any{`[false]`, false}, true, ""},
		{"json_array_contains", []types.Type{jT, vcT}, []any{`{"a": 1}`, "a"}, nil, ""},
		{"is_json_scalar", []types.Type{jT}, []any{`1`}, true, ""},
		{"is_json_scalar", []types.Type{jT}, []any{` "x"`}, true, ""},
		{"is_json_scalar", []types.Type{jT}, []any{`[1]`}, false, ""},
		{"is_json_scalar", []types.Type{vcT}, []any{`{"a": 1}`}, false, ""},
		{"is_json_scalar", []types.Type{vcT}, []any{`{`}, nil, "Invalid JSON value: {"},
	})
}
