package natslog

import (
	"strings"
	"testing"
)

func TestRedactURLs(t *testing.T) {
	tests := []struct{ in, want, secret string }{
		{"nats://127.0.0.1:4222", "nats://127.0.0.1:4222", ""},
		{"tls://ledger:s3cret-pw@a:4222,tls://b:4222", "tls://ledger:xxxxx@a:4222,tls://b:4222", "s3cret-pw"},
		{"nats://s3cret-token@a:4222", "nats://xxxxx@a:4222", "s3cret-token"},
		{"nats://a:4222, nats://u:s3cret@b:4222", "nats://a:4222,nats://u:xxxxx@b:4222", "s3cret"},
	}
	for _, tt := range tests {
		got := redactURLs(tt.in)
		if got != tt.want || (tt.secret != "" && strings.Contains(got, tt.secret)) {
			t.Errorf("redactURLs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
