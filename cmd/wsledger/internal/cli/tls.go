package cli

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"net"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/tlsconf"
)

// tlsFiles are the PEM files of one end of a TLS connection, each named by the flag that gave
// it, so that every complaint names the flag to fix. Any of them may be "".
type tlsFiles struct {
	cert, key, ca             string
	certFlag, keyFlag, caFlag string
}

func (f tlsFiles) any() bool { return f.cert != "" || f.key != "" || f.ca != "" }

// given says whether the certificate and key are given, refusing one without the other.
func (f tlsFiles) given() (bool, error) {
	if (f.cert == "") != (f.key == "") {
		return false, usagef("%s and %s go together: give both or neither", f.certFlag, f.keyFlag)
	}
	return f.cert != "", nil
}

// pair loads the certificate and key, or returns nil when neither is given.
func (f tlsFiles) pair() (*tls.Certificate, error) {
	if given, err := f.given(); !given || err != nil {
		return nil, err
	}
	pair, err := tlsconf.KeyPair(f.cert, f.key)
	if err != nil {
		return nil, fmt.Errorf("%s and %s: %w", f.certFlag, f.keyFlag, err)
	}
	return &pair, nil
}

// pool loads the authorities, or returns nil when none is given.
func (f tlsFiles) pool() (*x509.CertPool, error) {
	if f.ca == "" {
		return nil, nil
	}
	pool, err := tlsconf.Pool(f.ca)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.caFlag, err)
	}
	return pool, nil
}

// server returns a listener's configuration (the authority, when given, is the one client
// certificates must come from), or nil when no file is given. The certificate and key are read
// again when their files change; the logger hears of reloads and of a certificate outside its
// validity period.
func (f tlsFiles) server(logger *slog.Logger) (*tls.Config, error) {
	given, err := f.given()
	switch {
	case err != nil:
		return nil, err
	case !given && f.ca != "":
		return nil, usagef("%s needs %s and %s", f.caFlag, f.certFlag, f.keyFlag)
	case !given:
		return nil, nil
	}
	pool, err := f.pool()
	if err != nil {
		return nil, err
	}
	r, err := tlsconf.NewReloading(f.cert, f.key, func(err error) {
		if err != nil {
			logger.Warn("the files of "+f.certFlag+" and "+f.keyFlag+" changed but do not load; the certificate loaded before stays in service", slog.Any("err", err))
			return
		}
		logger.Info("reloaded the certificate of " + f.certFlag)
	})
	if err != nil {
		return nil, fmt.Errorf("%s and %s: %w", f.certFlag, f.keyFlag, err)
	}
	if why := tlsconf.Expiry(*r.Current(), time.Now()); why != "" {
		logger.Warn("the certificate of "+f.certFlag+" is not valid now: clients will refuse it", slog.String("validity", why))
	}
	return r.Server(pool), nil
}

// client returns a client's configuration (the authority, when given, replaces the system's),
// or nil when no file is given.
func (f tlsFiles) client() (*tls.Config, error) {
	if !f.any() {
		return nil, nil
	}
	pair, err := f.pair()
	if err != nil {
		return nil, err
	}
	pool, err := f.pool()
	if err != nil {
		return nil, err
	}
	return tlsconf.Client(pool, pair), nil
}

// warnPlain logs a listener that takes secrets in clear text from beyond this machine.
func warnPlain(logger *slog.Logger, addr net.Addr, what, secrets, flags string) {
	if tcp, ok := addr.(*net.TCPAddr); ok && !tcp.IP.IsLoopback() {
		logger.Warn(what+" without TLS on a non-loopback address: "+secrets+" cross the network in clear text; give "+flags,
			slog.String("addr", addr.String()))
	}
}
