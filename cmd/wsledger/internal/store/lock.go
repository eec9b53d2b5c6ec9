package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// LockFile is the name of the lock in a data directory. The process that opens the embedded
// store holds an exclusive flock(2) on it, which the kernel releases when the process exits or
// crashes; the file's content says who holds it and, for wsledger serve, where its API listens
// and the secret that proves a caller may act as the store's owner. It is readable by the
// owner only (0600).
const LockFile = "wsledger.lock"

// Holder is what the lock file says about the process that holds it.
type Holder struct {
	PID     int    `json:"pid"`
	Command string `json:"command"`
	// URL and Secret are set by wsledger serve once its API listens: a command given --data
	// while serve runs sends its work there, authenticated with the secret.
	URL    string `json:"url,omitempty"`
	Secret string `json:"secret,omitempty"`
	// CA is the certificate file of an HTTPS serve, which forwarded commands trust.
	CA string `json:"ca,omitempty"`
}

// Lock is a held data directory lock.
type Lock struct {
	f      *os.File
	holder Holder
}

// BusyError says that another process holds the data directory.
type BusyError struct {
	Dir    string
	Holder Holder // zero when the holder has not yet said who it is
}

func (e *BusyError) Error() string {
	who := "another process"
	if e.Holder.PID != 0 {
		who = fmt.Sprintf("wsledger %s (pid %d)", e.Holder.Command, e.Holder.PID)
	}
	what := "wait for it to finish, or stop it"
	switch {
	case e.Holder.Command == "serve" && e.Holder.URL != "":
		what = fmt.Sprintf("this command cannot go through its API at %s: stop it first", e.Holder.URL)
	case e.Holder.Command == "serve":
		what = "it is still starting: try again once it serves, or stop it"
	}
	return fmt.Sprintf("the data directory %s is in use by %s; one process at a time opens it: %s", e.Dir, who, what)
}

// Acquire locks dir for the command (creating dir when needed) or returns a *BusyError naming
// the process that holds it.
func Acquire(dir, command string) (*Lock, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, LockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open the lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			h, _ := ReadHolder(dir)
			return nil, &BusyError{Dir: dir, Holder: h}
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	l := &Lock{f: f, holder: Holder{PID: os.Getpid(), Command: command}}
	if err := l.write(); err != nil {
		l.Release()
		return nil, err
	}
	return l, nil
}

// Advertise records where the holder's API listens and the owner's secret.
func (l *Lock) Advertise(url, secret, ca string) error {
	l.holder.URL, l.holder.Secret, l.holder.CA = url, secret, ca
	return l.write()
}

func (l *Lock) write() error {
	data, _ := json.Marshal(l.holder)
	if err := l.f.Truncate(0); err != nil {
		return err
	}
	if _, err := l.f.WriteAt(append(data, '\n'), 0); err != nil {
		return err
	}
	return l.f.Sync()
}

// Release gives the directory up. The file stays: removing it could let two processes lock
// two different files of the same name.
func (l *Lock) Release() {
	if l == nil || l.f == nil {
		return
	}
	_ = l.f.Truncate(0)
	_ = syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	_ = l.f.Close()
	l.f = nil
}

// ReadHolder reads who holds dir's lock. A holder that has just taken the lock may not have
// written yet: the content is read again for up to a second until it parses.
func ReadHolder(dir string) (Holder, error) {
	var h Holder
	var err error
	for range 20 {
		var data []byte
		data, err = os.ReadFile(filepath.Join(dir, LockFile))
		if err == nil {
			if err = json.Unmarshal(data, &h); err == nil {
				return h, nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return Holder{}, err
}

// Held reports whether a process holds dir's lock, and what it says of itself.
func Held(dir string) (Holder, bool) {
	f, err := os.Open(filepath.Join(dir, LockFile))
	if err != nil {
		return Holder{}, false
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB); err == nil {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		return Holder{}, false
	}
	h, _ := ReadHolder(dir)
	return h, true
}

// PID is the process that holds the lock: this one.
func (l *Lock) PID() int { return l.holder.PID }
