package function

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/quarry-sql/quarry/types"
)

// Context is what kernels may use besides their arguments. One Context
// serves a whole query; it is safe for concurrent use by kernels.
type Context struct {
	Alloc memory.Allocator
	// Now is the query's start time: now(), current_date and
	// current_timestamp all return it, so they are constant per query.
	Now time.Time
	// Zone is the session time zone.
	Zone *time.Location
	// Warn records a query warning (shown once per distinct message).
	Warn func(msg string)
}

// Kernel evaluates a scalar function over a batch. Every argument array
// has exactly n rows (constants are broadcast by the caller). The kernel
// returns a new array of n rows of the bound result type (types.Type.Arrow);
// the caller releases it. Errors name the function and the offending value,
// Trino style: "Division by zero", "Cannot cast 'abc' to INTEGER".
type Kernel func(ctx *Context, args []arrow.Array, n int) (arrow.Array, error)

// Binding is a resolved call: the argument types the caller must cast the
// arguments to, the result type and the kernel.
type Binding struct {
	Args   []types.Type
	Result types.Type
	Kernel Kernel
	// Volatile functions (random) are not folded or deduplicated.
	Volatile bool
	// QueryConstant functions (now(), current_date) give one value for
	// every row of a query but another in the next query: their results
	// are not kept across queries.
	QueryConstant bool
}

// Scalar is a scalar function family (all overloads of one name).
type Scalar struct {
	Name string
	// Bind resolves a call with the given argument types. It returns an
	// error naming the function when no overload applies, e.g.
	// "Unexpected parameters (boolean) for function length. Expected: length(varchar)".
	Bind func(args []types.Type) (Binding, error)
	// BindConst, when set, is what the planner calls instead of Bind, for
	// functions whose result type depends on an argument's value (the zone
	// of at_timezone). consts[i] holds argument i's value when it is a
	// constant at bind time and is nil otherwise; a NULL constant is a
	// non-nil ConstArg with a nil Value.
	BindConst func(args []types.Type, consts []*ConstArg) (Binding, error)
}

// ConstArg is the value of an argument known when a call is bound.
type ConstArg struct {
	Value any
}

// GroupAccumulator is the state of one aggregate over many groups at once.
// Group ids are dense integers starting at 0.
type GroupAccumulator interface {
	// Update folds rows into their groups: groups[i] is the group of row
	// i; every group id is < the largest Resize so far.
	Update(args []arrow.Array, groups []uint32) error
	// Merge folds another accumulator of the same binding into this one:
	// the other's group j goes into this group groups[j].
	Merge(other GroupAccumulator, groups []uint32) error
	// Resize makes room for n groups (n only grows).
	Resize(n int)
	// Result returns one value per group, in group order.
	Result() (arrow.Array, error)
	// Size estimates the memory held, in bytes, for memory accounting.
	Size() int64
	Release()
}

// AggBinding is a resolved aggregate call.
type AggBinding struct {
	Args   []types.Type
	Result types.Type
	New    func(ctx *Context) GroupAccumulator
	// OrderSensitive aggregates (array_agg) depend on input order.
	OrderSensitive bool
}

// Aggregate is an aggregate function family.
type Aggregate struct {
	Name string
	Bind func(args []types.Type) (AggBinding, error)
}

// Registry holds functions by lower-case name.
type Registry struct {
	scalars    map[string]*Scalar
	aggregates map[string]*Aggregate
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{scalars: map[string]*Scalar{}, aggregates: map[string]*Aggregate{}}
}

// AddScalar registers a scalar function under its name and aliases.
func (r *Registry) AddScalar(f *Scalar, aliases ...string) {
	for _, n := range append([]string{f.Name}, aliases...) {
		r.scalars[strings.ToLower(n)] = f
	}
}

// AddAggregate registers an aggregate function under its name and aliases.
func (r *Registry) AddAggregate(f *Aggregate, aliases ...string) {
	for _, n := range append([]string{f.Name}, aliases...) {
		r.aggregates[strings.ToLower(n)] = f
	}
}

// Scalar finds a scalar function.
func (r *Registry) Scalar(name string) (*Scalar, bool) {
	f, ok := r.scalars[strings.ToLower(name)]
	return f, ok
}

// Aggregate finds an aggregate function.
func (r *Registry) Aggregate(name string) (*Aggregate, bool) {
	f, ok := r.aggregates[strings.ToLower(name)]
	return f, ok
}

// Names lists every registered function name, sorted (for SHOW FUNCTIONS
// and completion).
func (r *Registry) Names() []string {
	var out []string
	for n := range r.scalars {
		out = append(out, n)
	}
	for n := range r.aggregates {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Signature renders "name(t1, t2)" for error messages.
func Signature(name string, args []types.Type) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = a.String()
	}
	return fmt.Sprintf("%s(%s)", name, strings.Join(parts, ", "))
}

// UnexpectedParams is Trino's error for a call no overload accepts.
func UnexpectedParams(name string, args []types.Type, expected ...string) error {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = a.String()
	}
	msg := fmt.Sprintf("Unexpected parameters (%s) for function %s", strings.Join(parts, ", "), name)
	if len(expected) > 0 {
		msg += ". Expected: " + strings.Join(expected, ", ")
	}
	return fmt.Errorf("%s", msg)
}
