package cli_test

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/testcerts"
	"github.com/wsledger/wsledger/cmd/wsledger/internal/tlsconf"
)

var natsTLSAt = regexp.MustCompile(`NATS clients: (tls://\S+)`)

// TestNATSListenerTLS serves the embedded server's NATS listener with TLS, then with TLS and
// client certificates, and connects as WSTA the way an analyst's client does.
func TestNATSListenerTLS(t *testing.T) {
	c := testcerts.New(t)
	pool, pair := testcerts.Pool(t, c.CA), testcerts.Pair(t, c.ClientCert, c.ClientKey)
	listeners := []struct {
		name   string
		mutual bool
	}{{"TLS", false}, {"mutual TLS", true}}
	for _, l := range listeners {
		t.Run(l.name, func(t *testing.T) {
			args := []string{"--nats-listen", "127.0.0.1:-1", "--nats-tls-cert", c.ServerCert, "--nats-tls-key", c.ServerKey}
			if l.mutual {
				args = append(args, "--nats-tls-ca", c.CA)
			}
			s := serveDemo(t, args...)
			m := natsTLSAt.FindStringSubmatch(s.stderr.String())
			if m == nil {
				t.Fatalf("serve did not say where NATS listens with TLS:\n%s", s.stderr)
			}
			addr := strings.TrimPrefix(m[1], "tls://")
			pw, err := os.ReadFile(filepath.Join(s.dir, "nats-wsta.password"))
			if err != nil {
				t.Fatal(err)
			}
			password := strings.TrimSpace(string(pw))
			connect := func(tc *tls.Config, extra ...nats.Option) (*nats.Conn, error) {
				opts := append([]nats.Option{nats.UserInfo("wsta", password), nats.Timeout(30 * time.Second)}, extra...)
				if tc != nil {
					opts = append(opts, nats.Secure(tc))
				}
				return nats.Connect("tls://"+addr, opts...)
			}
			client := &pair
			if !l.mutual {
				client = nil
			}

			t.Run("WSTA with the authority subscribes to wsta.> and cannot publish events", func(t *testing.T) {
				violations, collect := collectErrors()
				nc, err := connect(tlsconf.Client(pool, client), collect)
				if err != nil {
					t.Fatal(err)
				}
				defer nc.Close()
				if !nc.TLSRequired() {
					t.Fatal("the connection does not use TLS")
				}
				sub, err := nc.SubscribeSync("wsta.>")
				if err != nil {
					t.Fatal(err)
				}
				if err := nc.Flush(); err != nil {
					t.Fatal(err)
				}
				if code, _, errOut := s.remote(t, "csqa-auditor", "", "digest", "--provider", "tongass", "--publish"); code != 0 {
					t.Fatalf("digest --publish: exit %d %s", code, errOut)
				}
				// The feed may still be publishing the demo's notices; the digest follows them.
				for deadline := time.Now().Add(30 * time.Second); ; {
					msg, err := sub.NextMsg(time.Until(deadline))
					if err != nil {
						t.Fatalf("no tongass digest on wsta.>: %v", err)
					}
					if msg.Subject == "wsta.tongass.digest" {
						break
					}
				}
				_ = nc.Publish("ledger.tongass.concern.x", []byte("{}"))
				_ = nc.Flush()
				select {
				case err := <-violations:
					if !errors.Is(err, nats.ErrPermissionViolation) {
						t.Fatalf("got %v, want a permission violation", err)
					}
				case <-time.After(10 * time.Second):
					t.Fatal("publishing an event over TLS was not refused")
				}
			})

			refused := []struct {
				name, want string
				tc         *tls.Config
			}{
				{"without the authority", "certificate signed by unknown authority", tlsconf.Client(nil, client)},
				{"with another authority", "certificate signed by unknown authority", tlsconf.Client(testcerts.Pool(t, c.OtherCA), client)},
			}
			if l.mutual {
				refused = append(refused, struct {
					name, want string
					tc         *tls.Config
				}{"without a client certificate", "tls", tlsconf.Client(pool, nil)})
			}
			for _, tt := range refused {
				t.Run("refused "+tt.name, func(t *testing.T) {
					nc, err := connect(tt.tc)
					if err == nil {
						nc.Close()
						t.Fatal("connected")
					}
					if !strings.Contains(err.Error(), tt.want) {
						t.Fatalf("got %v, want %q", err, tt.want)
					}
				})
			}
			t.Run("refused in clear text", func(t *testing.T) { plainClientRefused(t, addr) })
			if strings.Contains(s.stderr.String(), password) {
				t.Error("the server's output holds the WSTA password")
			}
		})
	}
}

// TestExternalNATSOverTLS points the command line at a three-node JetStream cluster whose client
// ports require TLS: n1 also requires a client certificate, n2 and n3 do not.
func TestExternalNATSOverTLS(t *testing.T) {
	c := testcerts.New(t)
	pair, pool := testcerts.Pair(t, c.ServerCert, c.ServerKey), testcerts.Pool(t, c.CA)
	addrs := startTLSCluster(t, []*tls.Config{tlsconf.Server(pair, pool), tlsconf.Server(pair, nil), tlsconf.Server(pair, nil)})
	const secret = "s3cret-password"
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string // a fragment
	}{
		{"a tls:// URL with --nats-ca", []string{"--nats", "tls://ledger:" + secret + "@" + addrs[1], "--nats-ca", c.CA}, 0, ""},
		{"a nats:// URL with --nats-ca", []string{"--nats", "nats://" + addrs[2], "--nats-ca", c.CA}, 0, ""},
		{"mutual TLS", []string{"--nats", "tls://" + addrs[0], "--nats-ca", c.CA, "--nats-cert", c.ClientCert, "--nats-key", c.ClientKey}, 0, ""},
		{"without the authority", []string{"--nats", "tls://ledger:" + secret + "@" + addrs[1]}, 1, "give that authority's certificate with --nats-ca"},
		{"with another authority", []string{"--nats", "tls://" + addrs[1], "--nats-ca", c.OtherCA}, 1, "give that authority's certificate with --nats-ca"},
		{"mutual TLS without a client certificate", []string{"--nats", "tls://" + addrs[0], "--nats-ca", c.CA}, 1, "give one with --nats-cert and --nats-key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t.Context(), "", nil, append([]string{"verify"}, tt.args...)...)
			if code != tt.code || !strings.Contains(errOut, tt.stderr) || (code == 0 && !strings.Contains(out, "no events")) {
				t.Fatalf("exit %d, want %d; stdout %q, stderr %q lacks %q", code, tt.code, out, errOut, tt.stderr)
			}
			if strings.Contains(out+errOut, secret) {
				t.Fatalf("the output holds the URL's password: %s", errOut)
			}
		})
	}
}

// startTLSCluster starts one JetStream node per client TLS configuration (nil: clear text),
// routed to each other in clear text on loopback, and returns their client addresses once the
// cluster has formed. The route ports are reserved before the nodes start, so another socket can
// take one in between; a node that cannot start is then retried with new ports.
func startTLSCluster(t *testing.T, configs []*tls.Config) []string {
	t.Helper()
	var err error
	for range 3 {
		var servers []*server.Server
		var addrs []string
		if servers, addrs, err = tryTLSCluster(t, configs); err == nil {
			t.Cleanup(func() {
				for _, srv := range servers {
					srv.Shutdown()
					srv.WaitForShutdown()
				}
			})
			return addrs
		}
	}
	t.Fatal(err)
	return nil
}

// tryTLSCluster makes one attempt of startTLSCluster; on failure it stops what it started.
func tryTLSCluster(t *testing.T, configs []*tls.Config) ([]*server.Server, []string, error) {
	routes := make([]*url.URL, len(configs))
	for i := range configs {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, nil, err
		}
		routes[i] = &url.URL{Scheme: "nats-route", Host: l.Addr().String()}
		l.Close()
	}
	var servers []*server.Server
	var addrs []string
	stop := func(err error) ([]*server.Server, []string, error) {
		for _, srv := range servers {
			srv.Shutdown()
			srv.WaitForShutdown()
		}
		return nil, nil, err
	}
	for i, tc := range configs {
		_, port, _ := net.SplitHostPort(routes[i].Host)
		routePort, _ := strconv.Atoi(port)
		srv, err := server.NewServer(&server.Options{
			ServerName: fmt.Sprintf("n%d", i+1), Host: "127.0.0.1", Port: -1, NoSigs: true, NoLog: true,
			JetStream: true, StoreDir: t.TempDir(),
			TLSConfig: tc, TLSVerify: tc != nil && tc.ClientAuth == tls.RequireAndVerifyClientCert, TLSTimeout: 5,
			// Not advertising the other nodes keeps each client on the node its URL names.
			Cluster: server.ClusterOpts{Name: "wsledger-tls", Host: "127.0.0.1", Port: routePort, NoAdvertise: true},
			Routes:  routes,
		})
		if err != nil {
			return stop(err)
		}
		go srv.Start()
		servers = append(servers, srv)
		if !srv.ReadyForConnections(20 * time.Second) {
			return stop(fmt.Errorf("node n%d did not start", i+1))
		}
		addrs = append(addrs, srv.Addr().String())
	}
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		formed := false
		for _, srv := range servers {
			formed = formed || (srv.JetStreamIsLeader() && len(srv.JetStreamClusterPeers()) == len(servers))
		}
		if formed {
			return servers, addrs, nil
		}
		if time.Now().After(deadline) {
			return stop(errors.New("the JetStream cluster did not form in 60s"))
		}
	}
}
