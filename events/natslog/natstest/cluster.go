// Package natstest runs JetStream clusters of nats-servers inside a test process, on loopback,
// for the tests of the ledger's log and of the processes that share it.
package natstest

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// Cluster is a JetStream cluster of nats-servers in this process, on loopback. A node can be
// stopped and started again on the same ports and store directory, as after a restart.
type Cluster struct {
	t     *testing.T
	Nodes []*Node
}

// Node is one nats-server of a Cluster.
type Node struct {
	Name        string
	storeDir    string
	clientPort  int // -1 until the first start picked one
	clusterPort int
	routes      []*url.URL
	Srv         *server.Server // nil while stopped
}

// ReadyTimeout bounds every wait for the cluster to settle; generous for a loaded machine.
const ReadyTimeout = 60 * time.Second

// Start starts n nodes routed to each other and waits until JetStream has a meta leader
// that knows every node.
func Start(t *testing.T, n int) *Cluster {
	t.Helper()
	ports := freePorts(t, n)
	routes := make([]*url.URL, n)
	for i, p := range ports {
		routes[i] = &url.URL{Scheme: "nats-route", Host: fmt.Sprintf("127.0.0.1:%d", p)}
	}
	c := &Cluster{t: t}
	for i := range n {
		c.Nodes = append(c.Nodes, &Node{
			Name: fmt.Sprintf("n%d", i+1), storeDir: t.TempDir(),
			clientPort: -1, clusterPort: ports[i], routes: routes,
		})
	}
	t.Cleanup(c.shutdown)
	for _, nd := range c.Nodes {
		c.Start(nd)
	}
	c.WaitReady()
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

func (nd *Node) options() *server.Options {
	return &server.Options{
		ServerName: nd.Name,
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

// Start runs a stopped node; after its first start it keeps its client port.
func (c *Cluster) Start(nd *Node) {
	c.t.Helper()
	srv, err := server.NewServer(nd.options())
	if err != nil {
		c.t.Fatalf("node %s: %v", nd.Name, err)
	}
	go srv.Start()
	if !srv.ReadyForConnections(ReadyTimeout) {
		srv.Shutdown()
		c.t.Fatalf("node %s did not accept clients in %s", nd.Name, ReadyTimeout)
	}
	nd.Srv = srv
	if nd.clientPort == -1 {
		nd.clientPort = srv.Addr().(*net.TCPAddr).Port
	}
}

// Stop shuts a node down and waits until it has.
func (c *Cluster) Stop(nd *Node) {
	nd.Srv.Shutdown()
	nd.Srv.WaitForShutdown()
	nd.Srv = nil
}

func (c *Cluster) shutdown() {
	for _, nd := range c.Nodes {
		if nd.Srv != nil {
			c.Stop(nd)
		}
	}
}

// Node returns the node of the given server name.
func (c *Cluster) Node(name string) *Node {
	c.t.Helper()
	for _, nd := range c.Nodes {
		if nd.Name == name {
			return nd
		}
	}
	c.t.Fatalf("no node named %q", name)
	return nil
}

// MetaLeader returns the node that leads the JetStream meta group, or nil when none does.
func (c *Cluster) MetaLeader() *Node {
	for _, nd := range c.Nodes {
		if nd.Srv != nil && nd.Srv.JetStreamIsLeader() {
			return nd
		}
	}
	return nil
}

// URLs returns every node's client URL, comma separated, starting with node first: what a
// client is configured with.
func (c *Cluster) URLs(first int) string {
	var us []string
	for i := range c.Nodes {
		nd := c.Nodes[(first+i)%len(c.Nodes)]
		us = append(us, fmt.Sprintf("nats://127.0.0.1:%d", nd.clientPort))
	}
	return strings.Join(us, ",")
}

// WaitReady waits until a meta leader knows every node and every running node is current.
func (c *Cluster) WaitReady() {
	c.t.Helper()
	Poll(c.t, ReadyTimeout, "the JetStream cluster to form", func() bool {
		leader := c.MetaLeader()
		if leader == nil || len(leader.Srv.JetStreamClusterPeers()) != len(c.Nodes) {
			return false
		}
		for _, nd := range c.Nodes {
			if nd.Srv != nil && !nd.Srv.JetStreamIsCurrent() {
				return false
			}
		}
		return true
	})
}

// Poll calls cond until it holds, failing the test after timeout.
func Poll(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
