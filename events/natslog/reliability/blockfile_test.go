package reliability

import (
	"bytes"
	"encoding/binary"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// The nats-server file store keeps a stream's messages in <store>/jetstream/$G/streams/<stream>/
// msgs/<n>.blk, one record after another (server/filestore.go, writeMsgRecordLocked):
//
//	total_len(4, high bit: has headers) sequence(8) timestamp(8) subject_len(2) subject
//	[headers_len(4) headers] message hash(8)
//
// all little-endian, the hash a HighwayHash of everything from the sequence on.
const (
	recordHeaderLen = 22
	recordHashLen   = 8
	hasHeadersBit   = 1 << 31
	erasedBit       = 1 << 63
)

// record locates one stored message inside a block file.
type record struct {
	seq        uint64
	start, end int // the whole record
	data       int // where the message body starts; it ends at end-recordHashLen
}

// blockRecords parses a block file.
func blockRecords(t *testing.T, buf []byte) []record {
	t.Helper()
	le := binary.LittleEndian
	var out []record
	for i := 0; i+recordHeaderLen <= len(buf); {
		raw := le.Uint32(buf[i:])
		rl := int(raw &^ hasHeadersBit)
		if rl < recordHeaderLen+recordHashLen || i+rl > len(buf) {
			t.Fatalf("block record at %d has length %d of %d bytes left", i, rl, len(buf)-i)
		}
		r := record{seq: le.Uint64(buf[i+4:]) &^ erasedBit, start: i, end: i + rl}
		r.data = i + recordHeaderLen + int(le.Uint16(buf[i+20:]))
		if raw&hasHeadersBit != 0 {
			r.data += 4 + int(le.Uint32(buf[r.data:]))
		}
		out = append(out, r)
		i += rl
	}
	return out
}

// blockFile returns the path of the stream's only block file under an embedded store.
func blockFile(t *testing.T, dataDir string) string {
	t.Helper()
	blocks, err := filepath.Glob(filepath.Join(dataDir, "jetstream", "*", "streams", "LEDGER", "msgs", "*.blk"))
	if err != nil || len(blocks) != 1 {
		t.Fatalf("want one block file, found %v (%v)", blocks, err)
	}
	return blocks[0]
}

// editBlock rewrites the stream's block file with edit.
func editBlock(t *testing.T, dataDir string, edit func(buf []byte, recs []record) []byte) {
	t.Helper()
	path := blockFile(t, dataDir)
	buf, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, edit(buf, blockRecords(t, buf)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// recordOf returns the record of a stream sequence.
func recordOf(t *testing.T, recs []record, seq uint64) record {
	t.Helper()
	for _, r := range recs {
		if r.seq == seq {
			return r
		}
	}
	t.Fatalf("no record of sequence %d in the block", seq)
	return record{}
}

// flipPayloadDigit changes one digit of an event's payload in place, keeping the JSON valid,
// the way a deliberate edit would.
func flipPayloadDigit(t *testing.T, buf []byte, r record) {
	t.Helper()
	body := buf[r.data : r.end-recordHashLen]
	i := bytes.Index(body, []byte(`"payload":{"n":`))
	if i < 0 {
		t.Fatalf("no payload in the record of sequence %d", r.seq)
	}
	body[i+len(`"payload":{"n":`)] ^= 1 // '0' <-> '1', '2' <-> '3', ...
}

// copyDir copies a store directory, as an operator copies a data directory.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(dst)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
	if err != nil {
		t.Fatal(err)
	}
}
