package ast

import (
	"reflect"
)

var (
	spanType  = reflect.TypeOf(Span{})
	nodeType  = reflect.TypeOf((*Node)(nil)).Elem()
	queryText = "QueryText"
)

// Equal reports whether two trees are structurally identical, ignoring
// positions and CreateView.QueryText (which is source text, not
// structure). Nil and empty slices compare equal.
func Equal(a, b Node) bool {
	return equalValue(reflect.ValueOf(a), reflect.ValueOf(b))
}

func equalValue(a, b reflect.Value) bool {
	if a.IsValid() != b.IsValid() {
		return false
	}
	if !a.IsValid() {
		return true
	}
	if a.Type() != b.Type() {
		return false
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return equalValue(a.Elem(), b.Elem())
	case reflect.Struct:
		t := a.Type()
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			if sf.Type == spanType || sf.Name == queryText {
				continue
			}
			if !equalValue(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		for i := 0; i < a.Len(); i++ {
			if !equalValue(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.String:
		return a.String() == b.String()
	case reflect.Bool:
		return a.Bool() == b.Bool()
	case reflect.Int, reflect.Int64, reflect.Int32:
		return a.Int() == b.Int()
	case reflect.Uint8:
		return a.Uint() == b.Uint()
	}
	return reflect.DeepEqual(a.Interface(), b.Interface())
}

// Inspect walks the tree rooted at n in depth-first order, calling f for
// each node (including n). If f returns false, the children of that node
// are skipped. Nil children are not visited.
func Inspect(n Node, f func(Node) bool) {
	if n == nil || reflect.ValueOf(n).IsNil() {
		return
	}
	if !f(n) {
		return
	}
	inspectChildren(reflect.ValueOf(n).Elem(), f)
}

func inspectChildren(v reflect.Value, f func(Node) bool) {
	switch v.Kind() {
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).Type == spanType {
				continue
			}
			inspectValue(v.Field(i), f)
		}
	}
}

func inspectValue(v reflect.Value, f func(Node) bool) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return
		}
		if v.Type().Implements(nodeType) || (v.Kind() == reflect.Interface && v.Elem().Type().Implements(nodeType)) {
			if n, ok := v.Interface().(Node); ok {
				Inspect(n, f)
				return
			}
		}
		if v.Kind() == reflect.Pointer {
			inspectChildren(v.Elem(), f)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			inspectValue(v.Index(i), f)
		}
	}
}
