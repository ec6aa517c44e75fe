package compress

// CRC-32 (IEEE) arithmetic over GF(2), after zlib's crc32_combine: the
// CRC of a concatenation is computable from the CRCs and lengths of its
// parts, so checkpointed intervals can be verified one by one and still
// be checked against a gzip member's trailer.

const crcPoly = 0xedb88320 // reflected IEEE polynomial

// x2nTable[n] is x^(2^n) modulo the CRC polynomial.
var x2nTable = func() (t [32]uint32) {
	p := uint32(1) << 30 // x^1
	t[0] = p
	for n := 1; n < 32; n++ {
		p = multModP(p, p)
		t[n] = p
	}
	return t
}()

// multModP multiplies a and b modulo the CRC polynomial (reflected bit
// order: the top bit is x^0).
func multModP(a, b uint32) uint32 {
	m := uint32(1) << 31
	var p uint32
	for {
		if a&m != 0 {
			p ^= b
			if a&(m-1) == 0 {
				break
			}
		}
		m >>= 1
		if b&1 != 0 {
			b = b>>1 ^ crcPoly
		} else {
			b >>= 1
		}
	}
	return p
}

// x2nModP returns x^(n * 2^k) modulo the CRC polynomial.
func x2nModP(n int64, k uint) uint32 {
	p := uint32(1) << 31 // x^0
	for n != 0 {
		if n&1 != 0 {
			p = multModP(x2nTable[k&31], p)
		}
		n >>= 1
		k++
	}
	return p
}

// CRC32Combine returns the CRC-32 (IEEE) of A followed by B, given
// crcA = CRC-32(A), crcB = CRC-32(B) and lenB = len(B). It costs
// O(log lenB), a few hundred nanoseconds.
func CRC32Combine(crcA, crcB uint32, lenB int64) uint32 {
	if lenB <= 0 {
		return crcA
	}
	return multModP(x2nModP(lenB, 3), crcA) ^ crcB
}
