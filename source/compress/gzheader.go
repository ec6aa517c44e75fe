package compress

import (
	"bufio"
	"encoding/binary"
	"hash/crc32"
	"io"

	"github.com/klauspost/compress/gzip"
)

// gzip member header flags (RFC 1952).
const (
	gzFHCRC    = 1 << 1
	gzFEXTRA   = 1 << 2
	gzFNAME    = 1 << 3
	gzFCOMMENT = 1 << 4
	gzReserved = 0xe0
)

// maxGzipString bounds a header's file name or comment: a longer one
// means the bytes are not a gzip header.
const maxGzipString = 1 << 20

// readGzipHeader consumes one member header from br. It returns io.EOF
// when br is at its end before the first byte, and the block size when
// the header carries BGZF's "BC" extra subfield (0 otherwise).
func readGzipHeader(br *bufio.Reader) (bgzfSize int, err error) {
	var h [10]byte
	if n, err := io.ReadFull(br, h[:]); err != nil {
		if n == 0 && err == io.EOF {
			return 0, io.EOF
		}
		return 0, io.ErrUnexpectedEOF
	}
	if h[0] != 0x1f || h[1] != 0x8b || h[2] != 8 || h[3]&gzReserved != 0 {
		return 0, gzip.ErrHeader
	}
	flg := h[3]
	digest := crc32.ChecksumIEEE(h[:])
	if flg&gzFEXTRA != 0 {
		var xl [2]byte
		if _, err := io.ReadFull(br, xl[:]); err != nil {
			return 0, io.ErrUnexpectedEOF
		}
		digest = crc32.Update(digest, crc32.IEEETable, xl[:])
		extra := make([]byte, binary.LittleEndian.Uint16(xl[:]))
		if _, err := io.ReadFull(br, extra); err != nil {
			return 0, io.ErrUnexpectedEOF
		}
		digest = crc32.Update(digest, crc32.IEEETable, extra)
		bgzfSize = bgzfSubfield(extra)
	}
	for _, f := range []byte{gzFNAME, gzFCOMMENT} {
		if flg&f == 0 {
			continue
		}
		for n := 0; ; n++ {
			c, err := br.ReadByte()
			if err != nil {
				return 0, io.ErrUnexpectedEOF
			}
			digest = crc32.Update(digest, crc32.IEEETable, []byte{c})
			if c == 0 {
				break
			}
			if n > maxGzipString {
				return 0, gzip.ErrHeader
			}
		}
	}
	if flg&gzFHCRC != 0 {
		var hc [2]byte
		if _, err := io.ReadFull(br, hc[:]); err != nil {
			return 0, io.ErrUnexpectedEOF
		}
		if binary.LittleEndian.Uint16(hc[:]) != uint16(digest) {
			return 0, gzip.ErrHeader
		}
	}
	return bgzfSize, nil
}

// bgzfSubfield finds BGZF's "BC" subfield in a gzip extra field and
// returns the block's total size (BSIZE+1), or 0.
func bgzfSubfield(extra []byte) int {
	for len(extra) >= 4 {
		n := int(binary.LittleEndian.Uint16(extra[2:]))
		if 4+n > len(extra) {
			return 0
		}
		if extra[0] == 'B' && extra[1] == 'C' && n == 2 {
			return int(binary.LittleEndian.Uint16(extra[4:])) + 1
		}
		extra = extra[4+n:]
	}
	return 0
}
