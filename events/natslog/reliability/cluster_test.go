package reliability

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// cluster is a JetStream cluster of nats-servers in this process, on loopback. A node can be
// stopped and started again on the same ports and store directory, as after a restart.
type cluster struct {
	t     *testing.T
	nodes []*node
}

type node struct {
	name        string
	storeDir    string
	clientPort  int // -1 until the first start picked one
	clusterPort int
	routes      []*url.URL
	srv         *server.Server // nil while stopped
}

// readyTimeout bounds every wait for the cluster to settle; generous for a loaded machine.
const readyTimeout = 60 * time.Second

// startCluster starts n nodes routed to each other and waits until JetStream has a meta leader
// that knows every node.
func startCluster(t *testing.T, n int) *cluster {
	t.Helper()
	ports := freePorts(t, n)
	routes := make([]*url.URL, n)
	for i, p := range ports {
		routes[i] = &url.URL{Scheme: "nats-route", Host: fmt.Sprintf("127.0.0.1:%d", p)}
	}
	c := &cluster{t: t}
	for i := range n {
		c.nodes = append(c.nodes, &node{
			name: fmt.Sprintf("n%d", i+1), storeDir: t.TempDir(),
			clientPort: -1, clusterPort: ports[i], routes: routes,
		})
	}
	t.Cleanup(c.shutdown)
	for _, nd := range c.nodes {
		c.start(nd)
	}
	c.waitReady()
	return c
}

// freePorts returns n distinct loopback ports that were free a moment ago. Cluster ports must
// be known before any node starts, since every node names all routes.
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports
}

func (nd *node) options() *server.Options {
	return &server.Options{
		ServerName: nd.name,
		Host:       "127.0.0.1",
		Port:       nd.clientPort,
		NoSigs:     true,
		NoLog:      true,
		JetStream:  true,
		StoreDir:   nd.storeDir,
		Cluster:    server.ClusterOpts{Name: "wsledger-reliability", Host: "127.0.0.1", Port: nd.clusterPort},
		Routes:     nd.routes,
	}
}

// start runs a stopped node; after its first start it keeps its client port.
func (c *cluster) start(nd *node) {
	c.t.Helper()
	srv, err := server.NewServer(nd.options())
	if err != nil {
		c.t.Fatalf("node %s: %v", nd.name, err)
	}
	go srv.Start()
	if !srv.ReadyForConnections(readyTimeout) {
		srv.Shutdown()
		c.t.Fatalf("node %s did not accept clients in %s", nd.name, readyTimeout)
	}
	nd.srv = srv
	if nd.clientPort == -1 {
		nd.clientPort = srv.Addr().(*net.TCPAddr).Port
	}
}

// stop shuts a node down and waits until it has.
func (c *cluster) stop(nd *node) {
	nd.srv.Shutdown()
	nd.srv.WaitForShutdown()
	nd.srv = nil
}

func (c *cluster) shutdown() {
	for _, nd := range c.nodes {
		if nd.srv != nil {
			c.stop(nd)
		}
	}
}

// node returns the node of the given server name.
func (c *cluster) node(name string) *node {
	c.t.Helper()
	for _, nd := range c.nodes {
		if nd.name == name {
			return nd
		}
	}
	c.t.Fatalf("no node named %q", name)
	return nil
}

// metaLeader returns the node that leads the JetStream meta group, or nil when none does.
func (c *cluster) metaLeader() *node {
	for _, nd := range c.nodes {
		if nd.srv != nil && nd.srv.JetStreamIsLeader() {
			return nd
		}
	}
	return nil
}

// urls returns every node's client URL, comma separated, starting with node first: what a
// client is configured with.
func (c *cluster) urls(first int) string {
	var us []string
	for i := range c.nodes {
		nd := c.nodes[(first+i)%len(c.nodes)]
		us = append(us, fmt.Sprintf("nats://127.0.0.1:%d", nd.clientPort))
	}
	return strings.Join(us, ",")
}

// waitReady waits until a meta leader knows every node and every running node is current.
func (c *cluster) waitReady() {
	c.t.Helper()
	poll(c.t, readyTimeout, "the JetStream cluster to form", func() bool {
		leader := c.metaLeader()
		if leader == nil || len(leader.srv.JetStreamClusterPeers()) != len(c.nodes) {
			return false
		}
		for _, nd := range c.nodes {
			if nd.srv != nil && !nd.srv.JetStreamIsCurrent() {
				return false
			}
		}
		return true
	})
}

// poll calls cond until it holds, failing the test after timeout.
func poll(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
