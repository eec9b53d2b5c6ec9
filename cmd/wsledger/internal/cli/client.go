package cli

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/tlsconf"
	"github.com/wsledger/wsledger/events"
)

// client talks to a running wsledger's API.
type client struct {
	base  *url.URL
	token string
	http  *http.Client
}

// newClient returns a client of the server at URL server; tc, when set, is its TLS
// configuration for https.
func newClient(server, token string, tc *tls.Config) (*client, error) {
	u, err := url.Parse(strings.TrimRight(server, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, usagef("--server must be an http or https URL, like http://127.0.0.1:8080")
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	if tc != nil {
		transport.TLSClientConfig = tc
	} else {
		transport.TLSClientConfig = &tls.Config{MinVersion: tlsconf.MinVersion}
	}
	return &client{base: u, token: token, http: &http.Client{Timeout: 5 * time.Minute, Transport: transport}}, nil
}

// do sends a request and returns the status and body. A transport failure is an error; an
// HTTP error status is not (the body says what went wrong).
func (c *client) do(ctx context.Context, method, path string, query url.Values, body []byte) (int, []byte, error) {
	u := *c.base
	u.Path += path
	u.RawQuery = query.Encode()
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := c.http.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("reach %s: %w", c.base.Host, tlsconf.Explain(err, "--ca FILE or $WSLEDGER_CA", "a client certificate"))
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	return res.StatusCode, data, err
}

// get fetches a JSON document into v; an error status becomes the *events.Error it carries.
func (c *client) get(ctx context.Context, path string, query url.Values, v any) error {
	status, data, err := c.do(ctx, "GET", path, query, nil)
	if err != nil {
		return err
	}
	if status != http.StatusOK {
		return errorOfBody(status, data)
	}
	return json.Unmarshal(data, v)
}

// post sends an empty POST and reads the JSON answer into v.
func (c *client) post(ctx context.Context, path string, query url.Values, v any) error {
	return c.request(ctx, "POST", path, query, nil, v)
}

// send sends a JSON body and reads the JSON answer into v.
func (c *client) send(ctx context.Context, method, path string, body []byte, v any) error {
	return c.request(ctx, method, path, nil, body, v)
}

func (c *client) request(ctx context.Context, method, path string, query url.Values, body []byte, v any) error {
	status, data, err := c.do(ctx, method, path, query, body)
	if err != nil {
		return err
	}
	if status != http.StatusOK && status != http.StatusCreated {
		return errorOfBody(status, data)
	}
	return json.Unmarshal(data, v)
}

// errorOfBody returns the API error in an error response's body.
func errorOfBody(status int, data []byte) error {
	var body struct {
		Error *events.Error `json:"error"`
	}
	if json.Unmarshal(data, &body) == nil && body.Error != nil {
		return body.Error
	}
	if status == http.StatusBadRequest && bytes.Contains(data, []byte("HTTP request to an HTTPS server")) {
		return errors.New("the server speaks HTTPS: give --server an https:// URL")
	}
	return fmt.Errorf("the server answered %d %s", status, http.StatusText(status))
}
