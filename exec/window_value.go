package exec

// Value window functions: lag and lead (offsets within the partition,
// frames do not apply) and first_value, last_value and nth_value (over the
// frame). With IGNORE NULLS they count only the non-NULL values, through
// the positions of the non-NULL values in sort order, so each row is O(1).

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
)

// constOffset reads a constant offset argument; null reports a NULL.
func constOffset(e Expr, def int64) (v int64, null bool, err error) {
	if e == nil {
		return def, false, nil
	}
	c, ok := e.(*Const)
	if !ok {
		return 0, false, fmt.Errorf("offset must be a constant")
	}
	if c.Value == nil {
		return 0, true, nil
	}
	v, ok = c.Value.(int64)
	if !ok {
		return 0, false, fmt.Errorf("offset must be an integer")
	}
	return v, false, nil
}

func (w *Window) valueFunc(ctx *Context, b arrow.Record, f *WindowFunc, l *windowLayout) (arrow.Array, error) {
	n := len(l.perm)
	if len(f.Args) == 0 {
		return nil, fmt.Errorf("%s requires an argument", f.Name)
	}
	var offArg Expr
	if len(f.Args) > 1 {
		offArg = f.Args[1]
	}
	off, nullOff, err := constOffset(offArg, 1)
	if err != nil {
		return nil, err
	}
	if n > 0 && !nullOff {
		if f.Name == "nth_value" && off < 1 {
			return nil, fmt.Errorf("Offset must be at least 1")
		}
		if (f.Name == "lag" || f.Name == "lead") && off < 0 {
			return nil, fmt.Errorf("Offset must be at least 0")
		}
	}
	arg, err := f.Args[0].Eval(ctx, b)
	if err != nil {
		return nil, err
	}
	defer arg.Release()
	src := make([]int32, n) // output row -> input row, -1 for NULL
	if nullOff {
		for i := range src {
			src[i] = -1
		}
		return takeIndices(ctx, arg, src)
	}
	perm := l.perm
	// With IGNORE NULLS: nn holds the sorted positions of non-NULL values
	// and before[i] how many of them precede sorted position i.
	var nn, before []int32
	if f.IgnoreNulls {
		defer reserveFor(ctx, int64(n)*8)()
		v := validityOf(arg)
		before = make([]int32, n+1)
		for i, row := range perm {
			before[i+1] = before[i]
			if v.ok(int(row)) {
				nn = append(nn, int32(i))
				before[i+1]++
			}
		}
	}
	var useDefault []bool
	if f.Name == "lag" || f.Name == "lead" {
		useDefault = make([]bool, n)
		for p := 0; p+1 < len(l.partStart); p++ {
			s, e := l.partStart[p], l.partStart[p+1]
			for i := s; i < e; i++ {
				t := -1
				switch {
				case off > int64(e-s):
				case off == 0:
					t = i
				case !f.IgnoreNulls && f.Name == "lag":
					if j := i - int(off); j >= s {
						t = j
					}
				case !f.IgnoreNulls:
					if j := i + int(off); j < e {
						t = j
					}
				case f.Name == "lag":
					if k := int(before[i]) - int(off); k >= int(before[s]) {
						t = int(nn[k])
					}
				default:
					if k := int(before[i+1]) + int(off) - 1; k < int(before[e]) {
						t = int(nn[k])
					}
				}
				row := perm[i]
				if t < 0 {
					src[row], useDefault[row] = -1, true
				} else {
					src[row] = perm[t]
				}
			}
		}
	} else {
		fs, release, err := w.frames(ctx, b, f, l)
		if err != nil {
			return nil, err
		}
		defer release()
		for i, row := range perm {
			lo, hi := int(fs.lo[i]), int(fs.hi[i])
			t := -1
			if lo <= hi {
				switch {
				case !f.IgnoreNulls && f.Name == "first_value":
					t = lo
				case !f.IgnoreNulls && f.Name == "last_value":
					t = hi
				case !f.IgnoreNulls: // nth_value
					if off <= int64(hi-lo+1) {
						t = lo + int(off) - 1
					}
				case f.Name == "first_value":
					if k := int(before[lo]); k < int(before[hi+1]) {
						t = int(nn[k])
					}
				case f.Name == "last_value":
					if k := int(before[hi+1]) - 1; k >= int(before[lo]) {
						t = int(nn[k])
					}
				default:
					if int64(before[hi+1]-before[lo]) >= off {
						t = int(nn[int(before[lo])+int(off)-1])
					}
				}
			}
			if t < 0 {
				src[row] = -1
			} else {
				src[row] = perm[t]
			}
		}
	}
	out, err := takeIndices(ctx, arg, src)
	if err != nil || useDefault == nil || len(f.Args) < 3 {
		return out, err
	}
	defer out.Release()
	deflt, err := f.Args[2].Eval(ctx, b)
	if err != nil {
		return nil, err
	}
	defer deflt.Release()
	choice := make([]int32, n)
	for i, d := range useDefault {
		if d {
			choice[i] = 1
		}
	}
	return Choose(ctx, f.T, []arrow.Array{out, deflt}, choice)
}
