package tlsconf

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"sync"
)

// Reloading is a listener's certificate and key, read again from their files when either has
// changed, so that a renewed certificate takes effect at the next handshake without a restart.
// The files are checked (two stats) at every handshake. A changed pair that does not load, as
// when the certificate is written before its key, keeps the previous pair in service and is
// tried again at the next handshake. onChange hears of every reload: nil when the new pair is
// in service, the error (once per change of the files) when it did not load.
type Reloading struct {
	certFile, keyFile string
	onChange          func(error)

	mu     sync.Mutex
	pair   *tls.Certificate
	loaded string // the files' stamp when pair was loaded
	failed string // the files' stamp when loading last failed
}

// NewReloading loads the certificate and key; their failure is an error, as with KeyPair.
func NewReloading(certFile, keyFile string, onChange func(error)) (*Reloading, error) {
	r := &Reloading{certFile: certFile, keyFile: keyFile, onChange: onChange}
	stamp, err := r.stamp()
	if err != nil {
		return nil, fmt.Errorf("certificate %s and key %s: %w", certFile, keyFile, err)
	}
	pair, err := KeyPair(certFile, keyFile)
	if err != nil {
		return nil, err
	}
	r.pair, r.loaded = &pair, stamp
	return r, nil
}

// Current returns the pair in service, reloading it first when the files have changed.
func (r *Reloading) Current() *tls.Certificate {
	r.mu.Lock()
	defer r.mu.Unlock()
	stamp, err := r.stamp()
	if err != nil || stamp == r.loaded {
		return r.pair // a file that cannot be seen for a moment does not stop the listener
	}
	pair, err := KeyPair(r.certFile, r.keyFile)
	if err != nil {
		if stamp != r.failed {
			r.failed = stamp
			r.onChange(err)
		}
		return r.pair
	}
	r.pair, r.loaded = &pair, stamp
	r.onChange(nil)
	return r.pair
}

// Server returns a listener's configuration that presents the current pair, like Server.
func (r *Reloading) Server(clientCAs *x509.CertPool) *tls.Config {
	c := server(clientCAs)
	c.GetCertificate = func(*tls.ClientHelloInfo) (*tls.Certificate, error) { return r.Current(), nil }
	return c
}

// stamp identifies the files' current contents by size and modification time.
func (r *Reloading) stamp() (string, error) {
	stamp := ""
	for _, f := range []string{r.certFile, r.keyFile} {
		info, err := os.Stat(f)
		if err != nil {
			return "", err
		}
		stamp += fmt.Sprintf("%d@%d;", info.Size(), info.ModTime().UnixNano())
	}
	return stamp, nil
}
