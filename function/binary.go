package function

// Binary functions over varbinary: hex encoding (to_hex, from_hex), with
// Trino's spelling (upper-case digits out, either case in).

import (
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/quarry-sql/quarry/types"
)

func init() { extraRegistrations = append(extraRegistrations, registerBinary) }

func registerBinary(r *Registry) {
	r.AddScalar(fixedScalar("to_hex", overload{params: sig(types.VarbinaryTyp), result: tVarchar, kernel: toHexKernel}))
	r.AddScalar(fixedScalar("from_hex", overload{params: sig(tVarchar), result: types.VarbinaryTyp, kernel: fromHexKernel}))
}

func toHexKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	return unaryString(ctx, args[0], n, func(s string) string { return strings.ToUpper(hex.EncodeToString([]byte(s))) }), nil
}

func fromHexKernel(ctx *Context, args []arrow.Array, n int) (arrow.Array, error) {
	src := stringsOf(args[0])
	vb := validity(args[0])
	b := array.NewBinaryBuilder(ctx.Alloc, arrow.BinaryTypes.Binary)
	defer b.Release()
	b.Reserve(n)
	var buf []byte
	for i := 0; i < n; i++ {
		if !vb.valid(i) {
			b.AppendNull()
			continue
		}
		s := src.bytesAt(i)
		if len(s)%2 != 0 {
			return nil, fmt.Errorf("invalid input length %d", len(s))
		}
		buf = buf[:0]
		for j := 0; j < len(s); j += 2 {
			hi, ok1 := hexDigit(s[j])
			lo, ok2 := hexDigit(s[j+1])
			if !ok1 || !ok2 {
				c := s[j]
				if ok1 {
					c = s[j+1]
				}
				return nil, fmt.Errorf("invalid hex character: %c", c)
			}
			buf = append(buf, hi<<4|lo)
		}
		b.Append(buf)
	}
	return b.NewArray(), nil
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
