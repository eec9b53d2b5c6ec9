package demo

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/wsledger/wsledger/cmd/wsledger/internal/auth"
	"github.com/wsledger/wsledger/events"
)

// TokensFile is the name of the demo's token file in the data directory.
const TokensFile = "demo-tokens.txt"

// Token is a demo sign-in token and whom it stands for.
type Token struct {
	Role, Provider, StaffID, Token string
}

// grants are the demo's sign-ins: each provider's program manager, a CSQA auditor of every
// provider and a WSTA analyst.
func grants() []auth.Grant {
	var out []auth.Grant
	for _, p := range providers {
		out = append(out, auth.Grant{StaffID: ProgramManager(p.id), Role: events.RoleProgramManager, Provider: p.id, Label: "demo"})
	}
	return append(out,
		auth.Grant{StaffID: "csqa-auditor", Role: events.RoleCSQAAuditor, Provider: auth.AllProviders, Label: "demo"},
		auth.Grant{StaffID: wsta.id, Role: events.RoleWSTA, Provider: auth.AllProviders, Label: "demo"})
}

// Tokens returns the demo's sign-in tokens: those in file when every one of them still works,
// else new ones (the old ones revoked), written to file. Running the demo again so keeps its
// tokens.
func Tokens(ctx context.Context, tokens *auth.Tokens, file string) ([]Token, error) {
	old, err := readTokens(file)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if valid(ctx, tokens, old) {
		return old, nil
	}
	for _, t := range old {
		if p, err := tokens.Authenticate(ctx, t.Token); err == nil {
			if _, err := tokens.Revoke(ctx, p.TokenID); err != nil {
				return nil, err
			}
		}
	}
	var out []Token
	for _, g := range grants() {
		tok, _, err := tokens.Create(ctx, g)
		if err != nil {
			return nil, err
		}
		out = append(out, Token{Role: g.Role, Provider: g.Provider, StaffID: g.StaffID, Token: tok})
	}
	var b bytes.Buffer
	fmt.Fprintln(&b, "# wsledger demo sign-in tokens. Send one as: Authorization: Bearer <token>")
	if err := WriteTokens(&b, out); err != nil {
		return nil, err
	}
	return out, os.WriteFile(file, b.Bytes(), 0o600)
}

// valid reports whether list holds a working token for every demo grant.
func valid(ctx context.Context, tokens *auth.Tokens, list []Token) bool {
	want := grants()
	if len(list) != len(want) {
		return false
	}
	for i, t := range list {
		p, err := tokens.Authenticate(ctx, t.Token)
		if err != nil || p.StaffID != want[i].StaffID || p.Role != want[i].Role || p.Provider != want[i].Provider {
			return false
		}
	}
	return true
}

// WriteTokens writes the tokens as a table: role, provider, staff, token.
func WriteTokens(w io.Writer, list []Token) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ROLE\tPROVIDER\tSTAFF\tTOKEN")
	for _, t := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.Role, t.Provider, t.StaffID, t.Token)
	}
	return tw.Flush()
}

func readTokens(file string) ([]Token, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var out []Token
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 4 || strings.HasPrefix(f[0], "#") || f[0] == "ROLE" {
			continue
		}
		out = append(out, Token{Role: f[0], Provider: f[1], StaffID: f[2], Token: f[3]})
	}
	return out, sc.Err()
}
