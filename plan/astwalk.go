package plan

import (
	"reflect"

	"github.com/quarry-sql/quarry/sql/ast"
)

var nodeType = reflect.TypeOf((*ast.Node)(nil)).Elem()

// inspect calls f for n and every AST node below it, depth first, until f
// returns false for a node (its children are then skipped). Reflection
// keeps it independent of the AST's node list; it runs at plan time only.
func inspect(n ast.Node, f func(ast.Node) bool) {
	if n == nil || reflect.ValueOf(n).IsNil() {
		return
	}
	if !f(n) {
		return
	}
	walkValue(reflect.ValueOf(n), f)
}

func walkValue(v reflect.Value, f func(ast.Node) bool) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return
	}
	for i := 0; i < v.NumField(); i++ {
		fv := v.Field(i)
		if !v.Type().Field(i).IsExported() {
			continue
		}
		visit(fv, f)
	}
}

func visit(fv reflect.Value, f func(ast.Node) bool) {
	switch fv.Kind() {
	case reflect.Pointer, reflect.Interface:
		if fv.IsNil() {
			return
		}
		if fv.Type().Implements(nodeType) {
			inspect(fv.Interface().(ast.Node), f)
			return
		}
		walkValue(fv, f)
	case reflect.Slice:
		for j := 0; j < fv.Len(); j++ {
			visit(fv.Index(j), f)
		}
	}
}
