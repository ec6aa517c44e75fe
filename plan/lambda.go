package plan

import (
	"fmt"
	"strings"

	"github.com/quarry-sql/quarry/exec"
	"github.com/quarry-sql/quarry/sql/ast"
	"github.com/quarry-sql/quarry/types"
)

// Lambda is a bound lambda expression: parameters (as columns with fresh
// IDs) and a body that may also read columns of the enclosing query.
type Lambda struct {
	Params []Column
	Body   Expr
}

// LambdaCall is a higher-order function call (transform, filter, reduce,
// any_match, all_match, none_match, zip_with).
type LambdaCall struct {
	Name   string
	Args   []Expr
	Fn     *Lambda
	Output *Lambda
	T      types.Type
}

func (e *LambdaCall) Type() types.Type { return e.T }
func (e *LambdaCall) exprNode()        {}
func (e *LambdaCall) String() string {
	s := e.Name + "(" + joinExprs(e.Args) + ", " + e.Fn.String()
	if e.Output != nil {
		s += ", " + e.Output.String()
	}
	return s + ")"
}

func (l *Lambda) String() string {
	names := make([]string, len(l.Params))
	for i, p := range l.Params {
		names[i] = fmt.Sprintf("%s#%d", p.Name, p.ID)
	}
	return "(" + strings.Join(names, ", ") + ") -> " + l.Body.String()
}

var lambdaFuncs = map[string]bool{"transform": true, "filter": true, "reduce": true, "any_match": true, "all_match": true, "none_match": true, "zip_with": true}

// bindLambdaCall binds a call whose arguments include lambdas.
func (ec *exprCtx) bindLambdaCall(x *ast.FuncCall, name string) (Expr, error) {
	if !lambdaFuncs[name] {
		return nil, errAt(x, "Function '%s' does not take lambda arguments (supported: transform, filter, reduce, any_match, all_match, none_match, zip_with)", name)
	}
	var plain []Expr
	var lambdas []*ast.Lambda
	for _, a := range x.Args {
		if l, ok := a.(*ast.Lambda); ok {
			lambdas = append(lambdas, l)
			continue
		}
		if len(lambdas) > 0 {
			return nil, errAt(a, "lambda arguments must come last")
		}
		e, err := ec.bind(a)
		if err != nil {
			return nil, err
		}
		plain = append(plain, e)
	}
	elem := func(i int) (types.Type, error) {
		if i >= len(plain) || plain[i].Type().Kind != types.Array {
			return types.Type{}, errAt(x, "%s expects an array argument", name)
		}
		return *plain[i].Type().Elem, nil
	}
	call := &LambdaCall{Name: name, Args: plain}
	var err error
	switch name {
	case "transform", "filter", "any_match", "all_match", "none_match":
		if len(plain) != 1 || len(lambdas) != 1 {
			return nil, errAt(x, "%s takes an array and a lambda", name)
		}
		t, err := elem(0)
		if err != nil {
			return nil, err
		}
		if call.Fn, err = ec.bindLambda(lambdas[0], t); err != nil {
			return nil, err
		}
		switch name {
		case "transform":
			call.T = types.ArrayOf(call.Fn.Body.Type())
		case "filter":
			call.T = plain[0].Type()
		default:
			call.T = types.BooleanType
		}
		if name != "transform" {
			if k := call.Fn.Body.Type().Kind; k != types.Boolean && k != types.Unknown {
				return nil, errAt(lambdas[0], "the lambda of %s must return boolean, not %s", name, call.Fn.Body.Type())
			}
		}
	case "zip_with":
		if len(plain) != 2 || len(lambdas) != 1 {
			return nil, errAt(x, "zip_with takes two arrays and a lambda")
		}
		t1, err := elem(0)
		if err != nil {
			return nil, err
		}
		t2, err := elem(1)
		if err != nil {
			return nil, err
		}
		if call.Fn, err = ec.bindLambda(lambdas[0], t1, t2); err != nil {
			return nil, err
		}
		call.T = types.ArrayOf(call.Fn.Body.Type())
	case "reduce":
		if len(plain) != 2 || len(lambdas) != 2 {
			return nil, errAt(x, "reduce takes an array, an initial state and two lambdas")
		}
		t, err := elem(0)
		if err != nil {
			return nil, err
		}
		st := plain[1].Type()
		if call.Fn, err = ec.bindLambda(lambdas[0], st, t); err != nil {
			return nil, err
		}
		// The state keeps the wider of the initial and the step's types.
		if !call.Fn.Body.Type().Equal(st) {
			wide, ok := types.CommonSuperType(st, call.Fn.Body.Type())
			if !ok {
				return nil, errAt(lambdas[0], "reduce's state type %s does not match its lambda's %s", st, call.Fn.Body.Type())
			}
			if call.Args[1], err = ec.coerce(x, plain[1], wide); err != nil {
				return nil, err
			}
			if call.Fn, err = ec.bindLambda(lambdas[0], wide, t); err != nil {
				return nil, err
			}
			if call.Fn.Body, err = ec.coerce(x, call.Fn.Body, wide); err != nil {
				return nil, err
			}
			st = wide
		}
		if call.Output, err = ec.bindLambda(lambdas[1], st); err != nil {
			return nil, err
		}
		call.T = call.Output.Body.Type()
	}
	return call, err
}

// bindLambda binds a lambda body with its parameters typed; the body may
// read columns of the enclosing scopes.
func (ec *exprCtx) bindLambda(l *ast.Lambda, params ...types.Type) (*Lambda, error) {
	if len(l.Params) != len(params) {
		return nil, errAt(l, "lambda expects %d parameters, got %d", len(params), len(l.Params))
	}
	out := &Lambda{}
	sc := &scope{parent: ec.sc}
	for i, p := range l.Params {
		c := Column{ID: ec.b.newID(), Name: p.Name, T: params[i]}
		out.Params = append(out.Params, c)
		sc.cols = append(sc.cols, scopeCol{name: strings.ToLower(p.Name), col: c})
	}
	inner := *ec
	inner.sc = sc
	inner.allowAgg = false
	inner.allowWindow = false
	inner.input = nil
	inner.clause = "lambda"
	body, err := inner.bind(l.Body)
	if err != nil {
		return nil, err
	}
	out.Body = body
	return out, nil
}

// compileLambda compiles a lambda's body over [captures..., params...].
func compileLambda(l *Lambda, outer Layout) (*exec.Lambda, error) {
	isParam := map[ColumnID]bool{}
	for _, p := range l.Params {
		isParam[p.ID] = true
	}
	var captures []int
	layout := Layout{}
	for id := range ColumnsOf(l.Body) {
		if isParam[id] {
			continue
		}
		pos, ok := outer[id]
		if !ok {
			return nil, fmt.Errorf("BUG: lambda captures column #%d not in input", id)
		}
		layout[id] = len(captures)
		captures = append(captures, pos)
	}
	paramTypes := make([]types.Type, len(l.Params))
	for i, p := range l.Params {
		layout[p.ID] = len(captures) + i
		paramTypes[i] = p.T
	}
	body, err := Compile(l.Body, layout)
	if err != nil {
		return nil, err
	}
	return &exec.Lambda{Body: body, Captures: captures, Params: paramTypes}, nil
}
