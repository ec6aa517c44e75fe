package function

import (
	"github.com/quarry-sql/quarry/types"
)

// extraRegistrations lets other function families (date/time, JSON,
// aggregates) add themselves from init functions in their own files
// without editing Builtins.
var extraRegistrations []func(*Registry)

// Builtins returns a registry with every built-in function.
func Builtins() *Registry {
	r := NewRegistry()
	registerOperators(r)
	registerConditional(r)
	registerString(r)
	registerRegexp(r)
	registerMath(r)
	for _, f := range extraRegistrations {
		f(r)
	}
	return r
}

// overload is one fixed signature of a function family. A parameter of
// kind Varchar accepts any varchar or char (its length is kept); a Decimal
// parameter with precision 0 accepts any decimal or integer (widened with
// types.AsDecimal); other parameters accept what types.CanCoerce allows.
type overload struct {
	params []types.Type
	// variadic repeats the last parameter zero or more times.
	variadic bool
	result   types.Type
	// resultOf computes the result type from the bound argument types
	// when it depends on them; it overrides result.
	resultOf func(args []types.Type) types.Type
	// kernel, or kernelOf when the kernel depends on the bound types.
	kernel   Kernel
	kernelOf func(args []types.Type, result types.Type) Kernel
	volatile bool
}

// fixedScalar builds a Scalar choosing among overloads: the one needing
// the fewest implicit coercions wins, ties going to the earlier overload.
func fixedScalar(name string, ovs ...overload) *Scalar {
	return &Scalar{Name: name, Bind: func(args []types.Type) (Binding, error) {
		best, bestCost := -1, 1<<30
		var bestArgs []types.Type
		for i, ov := range ovs {
			bound, cost, ok := ov.match(args)
			if ok && cost < bestCost {
				best, bestCost, bestArgs = i, cost, bound
			}
		}
		if best < 0 {
			expected := make([]string, len(ovs))
			for i, ov := range ovs {
				expected[i] = Signature(name, ov.params)
				if ov.variadic {
					expected[i] = expected[i][:len(expected[i])-1] + "...)"
				}
			}
			return Binding{}, UnexpectedParams(name, args, expected...)
		}
		ov := ovs[best]
		res := ov.result
		if ov.resultOf != nil {
			res = ov.resultOf(bestArgs)
		}
		k := ov.kernel
		if ov.kernelOf != nil {
			k = ov.kernelOf(bestArgs, res)
		}
		return Binding{Args: bestArgs, Result: res, Kernel: k, Volatile: ov.volatile}, nil
	}}
}

func (ov overload) match(args []types.Type) ([]types.Type, int, bool) {
	np := len(ov.params)
	if len(args) != np && !(ov.variadic && len(args) >= np-1) {
		return nil, 0, false
	}
	bound := make([]types.Type, len(args))
	cost := 0
	for i, a := range args {
		p := ov.params[min(i, np-1)]
		switch {
		case p.Kind == types.Varchar && p.Length == 0:
			switch {
			case a.Kind == types.Varchar:
				bound[i] = a
			case a.Kind == types.Char || a.Kind == types.Unknown:
				bound[i] = types.VarcharType
				cost++
			default:
				return nil, 0, false
			}
		case p.Kind == types.Decimal && p.Precision == 0:
			d, ok := types.AsDecimal(a)
			if a.Kind == types.Unknown {
				d, ok = types.DecimalOf(1, 0), true
			}
			if !ok {
				return nil, 0, false
			}
			if a.Kind != types.Decimal {
				cost++
			}
			bound[i] = d
		case a.Equal(p):
			bound[i] = p
		case types.CanCoerce(a, p):
			bound[i] = p
			cost++
		default:
			return nil, 0, false
		}
	}
	return bound, cost, true
}

// Shorthands for signatures.
var (
	tVarchar = types.VarcharType
	tBigint  = types.BigIntType
	tInteger = types.IntegerType
	tDouble  = types.DoubleType
	tBool    = types.BooleanType
)

func sig(params ...types.Type) []types.Type { return params }
