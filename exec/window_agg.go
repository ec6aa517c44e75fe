package exec

// Aggregates as window functions. The frame of every row is computed first
// (window_frame.go); then the cheapest strategy that fits runs:
//
//   - every frame is its whole partition: one grouped accumulation;
//   - count, sum, avg, min and max over the common types: the sliding
//     kernels of window_kernels.go, O(n) (O(n log n) for RANGE offsets);
//   - frames that all start at the partition start (or, for aggregates that
//     ignore input order, all end at the partition end): one accumulator
//     per partition fed row by row, a result taken whenever the frame grows;
//   - anything else: every frame's rows are fed to their own group of one
//     accumulator, O(sum of frame sizes), the clear fallback for the
//     remaining aggregates (array_agg, stddev, approx_distinct, ...) over
//     sliding frames.

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// windowForceGeneric disables the fast strategies, for tests that compare
// them with the generic one.
var windowForceGeneric bool

func (w *Window) aggregateFunc(ctx *Context, b arrow.Record, f *WindowFunc, l *windowLayout) (arrow.Array, error) {
	spec, err := specOf(f.Frame)
	if err != nil {
		return nil, err
	}
	fs, release, err := w.frames(ctx, b, f, l)
	if err != nil {
		return nil, err
	}
	defer release()
	args, err := evalAll(ctx, b, f.Args)
	if err != nil {
		return nil, err
	}
	defer releaseAll(args)
	if windowForceGeneric {
		return genericFrameAggregate(ctx, f, args, l, fs)
	}
	if wholePartitions(l, fs) {
		return wholePartitionAggregate(ctx, f, args, l)
	}
	if out, ok, err := slidingAggregate(ctx, f, args, l, fs); ok || err != nil {
		return out, err
	}
	if spec.startsAtPartition() || (spec.endsAtPartition() && !f.Agg.OrderSensitive) {
		if out, ok, err := runningAggregate(ctx, f, args, l, fs, !spec.startsAtPartition()); ok || err != nil {
			return out, err
		}
	}
	return genericFrameAggregate(ctx, f, args, l, fs)
}

// wholePartitions reports whether every frame is its whole partition.
func wholePartitions(l *windowLayout, fs *windowFrames) bool {
	for p := 0; p+1 < len(l.partStart); p++ {
		s, e := l.partStart[p], l.partStart[p+1]
		for i := s; i < e; i++ {
			if int(fs.lo[i]) != s || int(fs.hi[i]) != e-1 {
				return false
			}
		}
	}
	return true
}

// wholePartitionAggregate accumulates each partition as one group; an
// order-sensitive aggregate (array_agg) sees the rows in sort order.
func wholePartitionAggregate(ctx *Context, f *WindowFunc, args []arrow.Array, l *windowLayout) (arrow.Array, error) {
	n := len(l.perm)
	groups := make([]uint32, n) // input row -> partition
	parts := len(l.partStart) - 1
	for p := 0; p < parts; p++ {
		for i := l.partStart[p]; i < l.partStart[p+1]; i++ {
			groups[l.perm[i]] = uint32(p)
		}
	}
	acc := f.Agg.New(ctx.Fn)
	defer acc.Release()
	acc.Resize(max(parts, 1))
	if f.Agg.OrderSensitive {
		sorted := make([]arrow.Array, len(args))
		for k, a := range args {
			sorted[k] = Take(ctx.Alloc, a, l.perm)
		}
		sortedGroups := make([]uint32, n)
		for i, row := range l.perm {
			sortedGroups[i] = groups[row]
		}
		err := acc.Update(sorted, sortedGroups)
		releaseAll(sorted)
		if err != nil {
			return nil, err
		}
	} else if err := acc.Update(args, groups); err != nil {
		return nil, err
	}
	res, err := acc.Result()
	if err != nil {
		return nil, err
	}
	defer res.Release()
	idx := make([]int32, n)
	for i, g := range groups {
		idx[i] = int32(g)
	}
	return takeIndices(ctx, res, idx)
}

// runningAggregate feeds each partition's rows, in sort order (or in
// reverse when reverse is set), to one accumulator, taking a result each
// time the frame grows: forward every frame is a prefix of its partition
// (it starts at the partition start), in reverse a suffix. Should a frame
// ever shrink, it gives up (ok false) for the generic strategy.
func runningAggregate(ctx *Context, f *WindowFunc, args []arrow.Array, l *windowLayout, fs *windowFrames, reverse bool) (_ arrow.Array, ok bool, err error) {
	n := len(l.perm)
	defer reserveFor(ctx, int64(n)*8)()
	order := l.perm
	if reverse {
		order = make([]int32, n)
		for p := 0; p+1 < len(l.partStart); p++ {
			s, e := l.partStart[p], l.partStart[p+1]
			for i := s; i < e; i++ {
				order[i] = l.perm[s+e-1-i]
			}
		}
	}
	seq := make([]arrow.Array, len(args))
	defer releaseAll(seq)
	for k, a := range args {
		seq[k] = Take(ctx.Alloc, a, order)
	}
	var results []arrow.Array
	defer func() { releaseAll(results) }()
	resIdx := make([]int32, n) // input row -> index into results
	chunk := make([]arrow.Array, len(seq))
	var zero []uint32
	for p := 0; p+1 < len(l.partStart); p++ {
		s, e := l.partStart[p], l.partStart[p+1]
		acc := f.Agg.New(ctx.Fn)
		acc.Resize(1)
		fed, resFed := 0, -1
		for j := 0; j < e-s; j++ {
			i, cnt := s+j, int(fs.hi[s+j])-s+1
			if reverse {
				i = e - 1 - j
				cnt = e - int(fs.lo[i])
			}
			if fs.empty(i) {
				cnt = 0
			}
			if cnt < fed {
				acc.Release()
				return nil, false, nil
			}
			if cnt > fed {
				for k, a := range seq {
					chunk[k] = array.NewSlice(a, int64(s+fed), int64(s+cnt))
				}
				if len(zero) < cnt-fed {
					zero = make([]uint32, cnt-fed)
				}
				err := acc.Update(chunk, zero[:cnt-fed])
				releaseAll(chunk)
				if err != nil {
					acc.Release()
					return nil, true, err
				}
				fed = cnt
			}
			if fed != resFed {
				r, err := acc.Result()
				if err != nil {
					acc.Release()
					return nil, true, err
				}
				results = append(results, r)
				resFed = fed
			}
			resIdx[l.perm[i]] = int32(len(results) - 1)
		}
		acc.Release()
	}
	if len(results) == 0 {
		return array.MakeArrayOfNull(ctx.Alloc, f.T.Arrow(), 0), true, nil
	}
	all, err := array.Concatenate(results, ctx.Alloc)
	if err != nil {
		return nil, true, err
	}
	defer all.Release()
	out, err := takeIndices(ctx, all, resIdx)
	return out, true, err
}

// genericChunk is how many (row, frame) pairs the generic strategy feeds
// to the accumulator at once.
const genericChunk = 1 << 16

// genericFrameAggregate gives every row its own group and feeds it the rows
// of its frame, in sort order.
func genericFrameAggregate(ctx *Context, f *WindowFunc, args []arrow.Array, l *windowLayout, fs *windowFrames) (arrow.Array, error) {
	n := len(l.perm)
	acc := f.Agg.New(ctx.Fn)
	defer acc.Release()
	acc.Resize(max(n, 1))
	bytes := int64(genericChunk) * 8
	ctx.Alloc.Reserve(bytes)
	defer ctx.Alloc.Reserve(-bytes)
	idx := make([]int32, 0, genericChunk)
	groups := make([]uint32, 0, genericChunk)
	taken := make([]arrow.Array, len(args))
	flush := func() error {
		if len(idx) == 0 {
			return nil
		}
		for k, a := range args {
			taken[k] = Take(ctx.Alloc, a, idx)
		}
		err := acc.Update(taken, groups)
		releaseAll(taken)
		idx, groups = idx[:0], groups[:0]
		return err
	}
	for i := 0; i < n; i++ {
		if i%4096 == 0 && ctx.Ctx != nil {
			if err := ctx.Ctx.Err(); err != nil {
				return nil, err
			}
		}
		for p := fs.lo[i]; p <= fs.hi[i]; p++ {
			idx = append(idx, l.perm[p])
			groups = append(groups, uint32(i))
			if len(idx) == genericChunk {
				if err := flush(); err != nil {
					return nil, err
				}
			}
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	res, err := acc.Result()
	if err != nil {
		return nil, err
	}
	defer res.Release()
	if res.Len() < n {
		return nil, fmt.Errorf("BUG: %s returned %d results for %d groups", f.Name, res.Len(), n)
	}
	inv := make([]int32, n) // input row -> sorted position = its group
	for i, row := range l.perm {
		inv[row] = int32(i)
	}
	return takeIndices(ctx, res, inv)
}
