package natstest

import (
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
	RecordHashLen   = 8
	hasHeadersBit   = 1 << 31
	erasedBit       = 1 << 63
)

// Record locates one stored message inside a block file.
type Record struct {
	Seq        uint64
	Start, End int // the whole record
	Data       int // where the message body starts; it ends at end-RecordHashLen
}

// BlockRecords parses a block file.
func BlockRecords(t *testing.T, buf []byte) []Record {
	t.Helper()
	le := binary.LittleEndian
	var out []Record
	for i := 0; i+recordHeaderLen <= len(buf); {
		raw := le.Uint32(buf[i:])
		rl := int(raw &^ hasHeadersBit)
		if rl < recordHeaderLen+RecordHashLen || i+rl > len(buf) {
			t.Fatalf("block record at %d has length %d of %d bytes left", i, rl, len(buf)-i)
		}
		r := Record{Seq: le.Uint64(buf[i+4:]) &^ erasedBit, Start: i, End: i + rl}
		r.Data = i + recordHeaderLen + int(le.Uint16(buf[i+20:]))
		if raw&hasHeadersBit != 0 {
			r.Data += 4 + int(le.Uint32(buf[r.Data:]))
		}
		out = append(out, r)
		i += rl
	}
	return out
}

// BlockFile returns the path of the stream's only block file under an embedded store.
func BlockFile(t *testing.T, dataDir string) string {
	t.Helper()
	blocks, err := filepath.Glob(filepath.Join(dataDir, "jetstream", "*", "streams", "LEDGER", "msgs", "*.blk"))
	if err != nil || len(blocks) != 1 {
		t.Fatalf("want one block file, found %v (%v)", blocks, err)
	}
	return blocks[0]
}

// EditBlock rewrites the stream's block file with edit.
func EditBlock(t *testing.T, dataDir string, edit func(buf []byte, recs []Record) []byte) {
	t.Helper()
	path := BlockFile(t, dataDir)
	buf, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, edit(buf, BlockRecords(t, buf)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// RecordOf returns the record of a stream sequence.
func RecordOf(t *testing.T, recs []Record, seq uint64) Record {
	t.Helper()
	for _, r := range recs {
		if r.Seq == seq {
			return r
		}
	}
	t.Fatalf("no record of sequence %d in the block", seq)
	return Record{}
}

// CopyDir copies a store directory, as an operator copies a data directory.
func CopyDir(t *testing.T, from, to string) {
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
