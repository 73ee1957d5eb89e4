package authz

import "time"

// IssueCode makes the single-use authorization code of an authorised
// consent, bound to the client, the redirect URI and the PKCE challenge.
func (s *Store) IssueCode(consentID, clientID, redirectURI, challenge string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.st.Consents[consentID]
	if !ok || c.Status != Authorised {
		return "", fail(InvalidReq, "the consent is not authorised")
	}
	v := secret()
	h := hash(v)
	s.st.Codes[h] = &code{ConsentID: consentID, ClientID: clientID, RedirectURI: redirectURI, Challenge: challenge,
		Expires: s.now().UTC().Add(CodeTTL)}
	if err := s.save(); err != nil {
		delete(s.st.Codes, h)
		return "", err
	}
	return v, nil
}

// Exchange trades a code and its PKCE verifier for tokens (RFC 6749 §4.1.3,
// RFC 7636 §4.6). A code presented a second time is refused and every token
// issued from it is revoked (RFC 6749 §4.1.2).
func (s *Store) Exchange(clientID, rawCode, redirectURI, verifier string, accessTTL time.Duration) (Grant, error) {
	if verifier == "" {
		return Grant{}, fail(InvalidReq, "code_verifier is required (PKCE)")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	h := hash(rawCode)
	cd, ok := s.st.Codes[h]
	switch {
	case rawCode == "" || !ok:
		return Grant{}, fail(InvalidGrant, "unknown authorization code")
	case cd.Used:
		for _, t := range s.st.Tokens {
			if t.Code == h {
				t.Revoked = true
			}
		}
		_ = s.save()
		return Grant{}, fail(InvalidGrant, "the authorization code was already used; the tokens issued from it are revoked")
	}
	// Any answer from here on consumes the code: a failed attempt must not
	// leave it open to guessing the verifier.
	cd.Used = true
	now := s.now().UTC()
	switch {
	case !now.Before(cd.Expires):
		_ = s.save()
		return Grant{}, fail(InvalidGrant, "the authorization code has expired")
	case !Equal(cd.ClientID, clientID):
		_ = s.save()
		return Grant{}, fail(InvalidGrant, "the authorization code was issued to another client")
	case !Equal(cd.RedirectURI, redirectURI):
		_ = s.save()
		return Grant{}, fail(InvalidGrant, "redirect_uri differs from the authorization request")
	case !ValidVerifier(verifier) || !Equal(S256(verifier), cd.Challenge):
		_ = s.save()
		return Grant{}, fail(InvalidGrant, "code_verifier does not match the code challenge")
	}
	c, ok := s.st.Consents[cd.ConsentID]
	if ok {
		s.expire(c)
	}
	if !ok || c.Status != Authorised {
		_ = s.save()
		return Grant{}, fail(InvalidGrant, "the consent is no longer authorised")
	}
	refresh, access := secret(), secret()
	rh := hash(refresh)
	s.st.Tokens[rh] = &token{Kind: kindRefresh, ConsentID: c.ID, ClientID: clientID, Code: h}
	s.st.Tokens[hash(access)] = &token{Kind: kindAccess, ConsentID: c.ID, ClientID: clientID, Code: h, Refresh: rh,
		Expires: now.Add(accessTTL)}
	if err := s.save(); err != nil {
		return Grant{}, err
	}
	return Grant{Access: access, Refresh: refresh, ExpiresIn: seconds(accessTTL), ConsentID: c.ID}, nil
}

// Refresh issues a new access token for a refresh token whose consent is
// still authorised. The refresh token is not rotated.
func (s *Store) Refresh(clientID, refresh string, accessTTL time.Duration) (Grant, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rh := hash(refresh)
	t, ok := s.st.Tokens[rh]
	if refresh == "" || !ok || t.Kind != kindRefresh || t.Revoked {
		return Grant{}, fail(InvalidGrant, "unknown or revoked refresh token")
	}
	if !Equal(t.ClientID, clientID) {
		return Grant{}, fail(InvalidGrant, "the refresh token was issued to another client")
	}
	c, ok := s.st.Consents[t.ConsentID]
	if ok {
		s.expire(c)
	}
	if !ok || c.Status != Authorised {
		return Grant{}, fail(InvalidGrant, "the consent is no longer authorised")
	}
	access := secret()
	s.st.Tokens[hash(access)] = &token{Kind: kindAccess, ConsentID: c.ID, ClientID: clientID, Code: t.Code, Refresh: rh,
		Expires: s.now().UTC().Add(accessTTL)}
	if err := s.save(); err != nil {
		return Grant{}, err
	}
	return Grant{Access: access, ExpiresIn: seconds(accessTTL), ConsentID: c.ID}, nil
}

// RevokeToken revokes an access or refresh token (RFC 7009); revoking a
// refresh token revokes the access tokens made from it. Unknown tokens and
// other clients' tokens are ignored.
func (s *Store) RevokeToken(clientID, tok string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := hash(tok)
	t, ok := s.st.Tokens[h]
	if !ok || !Equal(t.ClientID, clientID) {
		return
	}
	t.Revoked = true
	if t.Kind == kindRefresh {
		for _, a := range s.st.Tokens {
			if a.Refresh == h {
				a.Revoked = true
			}
		}
	}
	_ = s.save()
}

// Authenticate checks a bearer access token and returns its consent. The
// consent must be authorised and not expired.
func (s *Store) Authenticate(access string) (Consent, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.st.Tokens[hash(access)]
	if access == "" || !ok || t.Kind != kindAccess {
		return Consent{}, fail(InvalidToken, "the access token is not known")
	}
	c, ok := s.st.Consents[t.ConsentID]
	if !ok {
		return Consent{}, fail(InvalidToken, "the token's consent is gone")
	}
	s.expire(c)
	switch {
	case c.Status == Expired:
		return c.clone(), fail(Expired, "the consent has expired")
	case c.Status != Authorised:
		return c.clone(), fail(InvalidToken, "the consent is "+c.Status)
	case t.Revoked:
		return Consent{}, fail(InvalidToken, "the access token was revoked")
	case !s.now().UTC().Before(t.Expires):
		return Consent{}, fail(InvalidToken, "the access token has expired")
	}
	return c.clone(), nil
}

// TokenKey identifies a token for rate limiting without keeping it.
func TokenKey(access string) string { return hash(access) }

func seconds(d time.Duration) int { return int((d + time.Second - 1) / time.Second) }
