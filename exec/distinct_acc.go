package exec

import (
	"encoding/binary"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/function"
	"github.com/quarry-sql/quarry/types"
)

// distinctAcc implements agg(DISTINCT x): it keeps the set of distinct
// (group, argument tuple) pairs and feeds each tuple to the inner
// accumulator once, when the result is asked for. Deferring the inner
// updates makes Merge a plain set union, so partial tables from several
// workers never count a value twice.
type distinctAcc struct {
	ctx      *Context
	inner    function.GroupAccumulator
	argTypes []types.Type
	ngroups  int
	// One one-word argument: the set is a table2 keyed by (group, word);
	// otherwise a tableB keyed by the group's 4 bytes then the encoded
	// tuple.
	oneWord bool
	t2      table2
	tb      tableB
	// chunks keeps the distinct tuples' values per argument, in first-seen
	// order, and groups their groups.
	chunks   [][]arrow.Array
	groups   []uint32
	enc      keyEncoder
	words    []uint64
	nm       []uint32
	key      []byte
	newRows  []int32
	reserved int64
}

func newDistinctAcc(ctx *Context, inner function.GroupAccumulator, argTypes []types.Type) *distinctAcc {
	d := &distinctAcc{ctx: ctx, inner: inner, argTypes: argTypes, chunks: make([][]arrow.Array, len(argTypes))}
	d.oneWord = len(argTypes) == 1 && isOneWord(argTypes[0].Arrow())
	if d.oneWord {
		d.t2.init(0)
	} else {
		d.tb.init(0)
	}
	return d
}

func (d *distinctAcc) Resize(n int) { d.ngroups = max(d.ngroups, n) }

func (d *distinctAcc) Update(args []arrow.Array, groups []uint32) error {
	n := len(groups)
	newRows := d.newRows[:0]
	if d.oneWord {
		if cap(d.words) < n {
			d.words, d.nm = make([]uint64, n), make([]uint32, n)
		}
		words, nm := d.words[:n], d.nm[:n]
		clear(nm)
		if err := columnWords(args[0], n, words, nm, 1); err != nil {
			return err
		}
		for i, w := range words {
			if nm[i] != 0 {
				continue // aggregates ignore NULL inputs
			}
			g := uint64(groups[i])
			slot, found := d.t2.insert(g, w, 0, hash2(g, w, 0))
			if found {
				continue
			}
			d.t2.set(slot, 0)
			newRows = append(newRows, int32(i))
			d.groups = append(d.groups, groups[i])
		}
	} else {
		anyNull, err := d.enc.encode(args, n)
		if err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			if anyNull[i] {
				continue
			}
			d.key = binary.LittleEndian.AppendUint32(d.key[:0], groups[i])
			d.key = append(d.key, d.enc.key(i)...)
			slot, found := d.tb.insert(d.key, hashBytes(d.key))
			if found {
				continue
			}
			d.tb.set(slot, 0)
			newRows = append(newRows, int32(i))
			d.groups = append(d.groups, groups[i])
		}
	}
	d.newRows = newRows
	if len(newRows) == 0 {
		return nil
	}
	var bytes int64
	for j, a := range args {
		chunk := Take(d.ctx.Alloc, a, newRows)
		d.chunks[j] = append(d.chunks[j], chunk)
		bytes += arraySize(chunk)
	}
	bytes += int64(len(newRows)) * 32
	d.ctx.Alloc.Reserve(bytes)
	d.reserved += bytes
	return nil
}

// tuples returns the distinct tuples' argument columns, in d.groups order.
func (d *distinctAcc) tuples() ([]arrow.Array, error) {
	arrs := make([]arrow.Array, len(d.chunks))
	for j, chunks := range d.chunks {
		switch len(chunks) {
		case 0:
			arrs[j] = array.MakeArrayOfNull(d.ctx.Alloc, d.argTypes[j].Arrow(), 0)
		case 1:
			chunks[0].Retain()
			arrs[j] = chunks[0]
		default:
			a, err := array.Concatenate(chunks, d.ctx.Alloc)
			if err != nil {
				releaseAll(arrs)
				return nil, err
			}
			releaseAll(chunks)
			a.Retain()
			d.chunks[j] = []arrow.Array{a}
			arrs[j] = a
		}
	}
	return arrs, nil
}

func (d *distinctAcc) Merge(other function.GroupAccumulator, groups []uint32) error {
	o := other.(*distinctAcc)
	arrs, err := o.tuples()
	if err != nil {
		return err
	}
	defer releaseAll(arrs)
	mapped := make([]uint32, len(o.groups))
	for i, g := range o.groups {
		mapped[i] = groups[g]
	}
	return d.Update(arrs, mapped)
}

func (d *distinctAcc) Result() (arrow.Array, error) {
	arrs, err := d.tuples()
	if err != nil {
		return nil, err
	}
	defer releaseAll(arrs)
	d.inner.Resize(d.ngroups)
	if len(d.groups) > 0 {
		if err := d.inner.Update(arrs, d.groups); err != nil {
			return nil, err
		}
	}
	return d.inner.Result()
}

func (d *distinctAcc) Size() int64 { return d.inner.Size() }

func (d *distinctAcc) Release() {
	for _, chunks := range d.chunks {
		releaseAll(chunks)
	}
	d.chunks = nil
	d.inner.Release()
	d.ctx.Alloc.Reserve(-d.reserved)
	d.reserved = 0
}
