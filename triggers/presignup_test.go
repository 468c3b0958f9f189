package triggers

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/poolside-io/poolside/messages"
	"github.com/poolside-io/poolside/triggers/signup"
)

// fakeCognito is a hand-written PreSignUpCognito.
type fakeCognito struct {
	list    func(UserQuery) (UserPage, error)
	link    func(destination, source ProviderIdentity) error
	filters []string
	links   []string
}

func (f *fakeCognito) ListUsers(_ context.Context, q UserQuery) (UserPage, error) {
	f.filters = append(f.filters, q.Filter)
	if f.list == nil {
		return UserPage{}, nil
	}
	return f.list(q)
}

func (f *fakeCognito) LinkProvider(_ context.Context, _ string, destination, source ProviderIdentity) error {
	f.links = append(f.links, source.Provider+":"+source.Value+"->"+destination.Provider+":"+destination.Value)
	if f.link == nil {
		return nil
	}
	return f.link(destination, source)
}

// users answers ListUsers with the given users.
func users(us ...CognitoUser) func(UserQuery) (UserPage, error) {
	return func(UserQuery) (UserPage, error) {
		return UserPage{Users: us}, nil
	}
}

func user(name string, status UserStatus, attrs ...string) CognitoUser {
	u := CognitoUser{Username: name, Status: status, Enabled: true}
	for i := 0; i+1 < len(attrs); i += 2 {
		u.Attributes = append(u.Attributes, UserAttribute{Name: attrs[i], Value: attrs[i+1]})
	}
	return u
}

func signUpEvent(source Source, userName string, attrs, meta Attributes) *PreSignUpEvent {
	return &PreSignUpEvent{
		Header:  Header{TriggerSource: source, UserPoolID: "us-east-1_pool", UserName: userName},
		Request: PreSignUpRequest{UserAttributes: attrs, ClientMetadata: meta},
	}
}

func mustDomains(tb testing.TB, ds ...string) signup.DomainSet {
	tb.Helper()
	s, err := signup.NewDomainSet(ds...)
	require.NoError(tb, err)
	return s
}

func TestPreSignUpSignUp(t *testing.T) {
	ana := Attributes{"email": "Ana@Example.com", "given_name": "Ana", "family_name": "Lima"}
	with := func(kv ...string) Attributes {
		a := Attributes{}
		for k, v := range ana {
			a[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			a[kv[i]] = kv[i+1]
		}
		return a
	}
	cases := map[string]struct {
		attrs   Attributes
		meta    Attributes
		unique  bool
		list    func(UserQuery) (UserPage, error)
		want    PreSignUpResponse
		refusal messages.Code // "" = allowed
		err     bool          // a non-refusal error
		filters []string
	}{
		"allowed, not trusted":                 {attrs: ana},
		"trusted subdomain":                    {attrs: with("email", "ana@eng.trusted.example"), want: PreSignUpResponse{AutoConfirmUser: true, AutoVerifyEmail: true}},
		"trusted with phone":                   {attrs: with("email", "ana@trusted.example", "phone_number", "+5511999999999"), want: PreSignUpResponse{AutoConfirmUser: true, AutoVerifyEmail: true, AutoVerifyPhone: true}},
		"trusted lookalike":                    {attrs: with("email", "ana@nottrusted.example")},
		"disposable, English":                  {attrs: with("email", "a@mailinator.com"), refusal: messages.CodeDisposableEmail},
		"disposable, pt attribute":             {attrs: with("email", "a@mailinator.com", "locale", "pt-BR"), refusal: messages.CodeDisposableEmail},
		"metadata locale es":                   {attrs: with("given_name", "<b>"), meta: Attributes{"locale": "es"}, refusal: messages.CodeInvalidName},
		"attribute beats metadata":             {attrs: with("given_name", "", "locale", "de"), meta: Attributes{"locale": "es"}, refusal: messages.CodeMissingAttribute},
		"unique: free":                         {attrs: ana, unique: true, filters: []string{`email = "Ana@Example.com"`, `email = "ana@example.com"`}},
		"unique: taken":                        {attrs: ana, unique: true, list: users(user("ana1", UserStatusConfirmed, "email", "Ana@Example.com")), refusal: messages.CodeEmailTaken, filters: []string{`email = "Ana@Example.com"`}},
		"unique: admin-created holds it":       {attrs: ana, unique: true, list: users(user("ana1", UserStatusForceChangePassword)), refusal: messages.CodeEmailTaken},
		"unique: unconfirmed squatter ignored": {attrs: ana, unique: true, list: users(user("squat", UserStatusUnconfirmed))},
		"unique: Cognito down": {attrs: ana, unique: true, list: func(UserQuery) (UserPage, error) {
			return UserPage{}, errors.New("throttled")
		}, err: true},
		"unique: no trusted bypass": {attrs: with("email", "ana@trusted.example"), unique: true, list: users(user("x", UserStatusConfirmed)), refusal: messages.CodeEmailTaken},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			fake := &fakeCognito{list: c.list}
			h := &PreSignUpHandler{
				Policy:          signup.Policy{Required: signup.DefaultRequired, Disposable: signup.Disposable()},
				Trusted:         mustDomains(t, "trusted.example"),
				AutoVerifyEmail: true, AutoVerifyPhone: true,
				UniqueEmail: c.unique,
				Cognito:     fake,
			}
			ev := signUpEvent(PreSignUpSignUp, "uuid-1", c.attrs, c.meta)
			err := h.Handle(context.Background(), ev)
			var refusal *Refusal
			switch {
			case c.refusal != (messages.Code{}):
				require.ErrorAs(t, err, &refusal)
				require.Equal(t, c.refusal, refusal.Code)
				require.NotEmpty(t, refusal.Reason)
			case c.err:
				require.Error(t, err)
				require.False(t, errors.As(err, &refusal), "infrastructure errors are not refusals")
			default:
				require.NoError(t, err)
				require.Equal(t, c.want, ev.Response)
			}
			if c.filters != nil {
				require.Equal(t, c.filters, fake.filters)
			}
			if !c.unique {
				require.Empty(t, fake.filters, "no Cognito call without the duplicate-email check")
			}
		})
	}
}

// A trusted domain auto-confirms; it verifies the email only when the
// deployment opted in: nobody proved the address belongs to who typed it.
func TestPreSignUpTrustedDomainVerifiesOnlyOnOptIn(t *testing.T) {
	attrs := Attributes{"email": "ceo@trusted.example", "phone_number": "+5511999999999"}
	h := &PreSignUpHandler{Trusted: mustDomains(t, "trusted.example")}
	ev := signUpEvent(PreSignUpSignUp, "u", attrs, nil)
	require.NoError(t, h.Handle(context.Background(), ev))
	require.Equal(t, PreSignUpResponse{AutoConfirmUser: true}, ev.Response)

	h.AutoVerifyEmail = true
	ev = signUpEvent(PreSignUpSignUp, "u", attrs, nil)
	require.NoError(t, h.Handle(context.Background(), ev))
	require.Equal(t, PreSignUpResponse{AutoConfirmUser: true, AutoVerifyEmail: true}, ev.Response)
}

func TestPreSignUpNeverAutoVerifiesAbsentAttributes(t *testing.T) {
	h := &PreSignUpHandler{Trusted: mustDomains(t, "trusted.example"), AutoVerifyEmail: true, AutoVerifyPhone: true}
	ev := signUpEvent(PreSignUpSignUp, "u", Attributes{"email": "a@trusted.example"}, nil)
	require.NoError(t, h.Handle(context.Background(), ev))
	require.Equal(t, PreSignUpResponse{AutoConfirmUser: true, AutoVerifyEmail: true}, ev.Response, "no phone_number: not verified")

	ev = signUpEvent(PreSignUpSignUp, "u", Attributes{"phone_number": "+5511999999999"}, nil)
	require.NoError(t, h.Handle(context.Background(), ev))
	require.Equal(t, PreSignUpResponse{}, ev.Response, "no email: nothing is trusted")
}

func TestPreSignUpAdminCreateUser(t *testing.T) {
	h := &PreSignUpHandler{
		Policy:      signup.Policy{Required: signup.DefaultRequired, Disposable: signup.Disposable(), Allowed: mustDomains(t, "example.com")},
		Trusted:     mustDomains(t, "mailinator.com"),
		UniqueEmail: true,
		Cognito: &fakeCognito{list: func(UserQuery) (UserPage, error) {
			panic("AdminCreateUser must not call Cognito")
		}},
	}
	cases := map[string]struct {
		attrs   Attributes
		refused bool
	}{
		"disposable, outside allow-list, digits in name": {Attributes{"email": "qa@mailinator.com", "given_name": "QA 1"}, false},
		"no attributes at all":                           {Attributes{}, false},
		"broken email":                                   {Attributes{"email": "Ana <a@example.com>"}, true},
		"bidi override":                                  {Attributes{"email": "a@example.com", "family_name": "x\u202ey"}, true},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			ev := signUpEvent(PreSignUpAdminCreateUser, "admin-made", c.attrs, nil)
			err := h.Handle(context.Background(), ev)
			if c.refused {
				var refusal *Refusal
				require.ErrorAs(t, err, &refusal)
				return
			}
			require.NoError(t, err)
			require.Equal(t, PreSignUpResponse{}, ev.Response, "Cognito ignores the flags for AdminCreateUser; none are set")
		})
	}
}

func TestPreSignUpExternalProvider(t *testing.T) {
	native := func(status UserStatus, verified string, identities string) CognitoUser {
		u := user("ana-native", status, "email", "ana@example.com", "email_verified", verified)
		if identities != "" {
			u.Attributes = append(u.Attributes, UserAttribute{Name: "identities", Value: identities})
		}
		return u
	}
	fourLinks := `[{"providerName":"Facebook"},{"providerName":"x"},{"providerName":"y"},{"providerName":"z"}]`
	fiveLinks := `[{"providerName":"Facebook"},{"providerName":"w"},{"providerName":"x"},{"providerName":"y"},{"providerName":"z"}]`
	cases := map[string]struct {
		userName string
		attrs    Attributes
		list     func(UserQuery) (UserPage, error)
		link     func(_, _ ProviderIdentity) error
		links    []string
		lists    int
		err      bool
	}{
		"linked": {
			userName: "Google_1048573", list: users(native(UserStatusConfirmed, "true", "")),
			links: []string{"Google:1048573->Cognito:ana-native"}, lists: 1,
		},
		"lower-case prefix uses the allow-listed spelling": {
			userName: "google_1048573", list: users(native(UserStatusConfirmed, "true", "")),
			links: []string{"Google:1048573->Cognito:ana-native"}, lists: 1,
		},
		"subject with underscores kept whole": {
			userName: "Google_a_b_c", list: users(native(UserStatusConfirmed, "true", "")),
			links: []string{"Google:a_b_c->Cognito:ana-native"}, lists: 1,
		},
		"four links: one more allowed": {
			userName: "Google_1", list: users(native(UserStatusConfirmed, "true", fourLinks)),
			links: []string{"Google:1->Cognito:ana-native"}, lists: 1,
		},
		"five links: limit reached, allowed unlinked": {
			userName: "Google_1", list: users(native(UserStatusConfirmed, "true", fiveLinks)), lists: 1,
		},
		"unreadable identities: not linked": {
			userName: "Google_1", list: users(native(UserStatusConfirmed, "true", "{oops")), lists: 1,
		},
		"native email unverified: not linked": {
			userName: "Google_1", list: users(native(UserStatusConfirmed, "false", "")), lists: 1,
		},
		"only a federated user holds the email": {
			userName: "Google_1", list: users(native(UserStatusExternalProvider, "true", "")), lists: 1,
		},
		"native user disabled": {
			userName: "Google_1", list: users(func() CognitoUser {
				u := native(UserStatusConfirmed, "true", "")
				u.Enabled = false
				return u
			}()), lists: 1,
		},
		"no native user": {userName: "Google_1", lists: 1},
		"provider not allow-listed": {
			userName: "Facebook_1", list: users(native(UserStatusConfirmed, "true", "")),
		},
		"provider says email unverified": {
			userName: "Google_1", attrs: Attributes{"email": "ana@example.com", "email_verified": "false"},
			list: users(native(UserStatusConfirmed, "true", "")),
		},
		"provider omits email_verified": {
			userName: "Google_1", attrs: Attributes{"email": "ana@example.com"},
			list: users(native(UserStatusConfirmed, "true", "")),
		},
		"provider says False": {
			userName: "Google_1", attrs: Attributes{"email": "ana@example.com", "email_verified": "False"},
			list: users(native(UserStatusConfirmed, "true", "")),
		},
		"provider says 0": {
			userName: "Google_1", attrs: Attributes{"email": "ana@example.com", "email_verified": "0"},
			list: users(native(UserStatusConfirmed, "true", "")),
		},
		"provider says 1": {
			userName: "Google_1", attrs: Attributes{"email": "ana@example.com", "email_verified": "1"},
			list: users(native(UserStatusConfirmed, "true", "")),
		},
		"no email from provider":            {userName: "Google_1", attrs: Attributes{"given_name": "Ana"}},
		"user name without provider prefix": {userName: "1048573"},
		"ListUsers fails": {
			userName: "Google_1", list: func(UserQuery) (UserPage, error) {
				return UserPage{}, errors.New("throttled")
			}, lists: 1, err: true,
		},
		"link fails": {
			userName: "Google_1", list: users(native(UserStatusConfirmed, "true", "")),
			link: func(_, _ ProviderIdentity) error {
				return errors.New("LimitExceededException: 5 links")
			},
			links: []string{"Google:1->Cognito:ana-native"}, lists: 1, err: true,
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			fake := &fakeCognito{list: c.list, link: c.link}
			h := &PreSignUpHandler{
				Policy:        signup.Policy{Required: signup.DefaultRequired, Allowed: mustDomains(t, "elsewhere.example")},
				LinkProviders: []string{"Google", "SignInWithApple"},
				Cognito:       fake,
			}
			attrs := c.attrs
			if attrs == nil {
				attrs = Attributes{"email": "ana@example.com", "email_verified": "true"}
			}
			ev := signUpEvent(PreSignUpExternalProvider, c.userName, attrs, nil)
			err := h.Handle(context.Background(), ev)
			if c.err {
				require.Error(t, err)
				var refusal *Refusal
				require.False(t, errors.As(err, &refusal))
			} else {
				require.NoError(t, err, "federated sign-ups are never refused by the self sign-up policy")
			}
			require.Equal(t, PreSignUpResponse{}, ev.Response)
			require.Equal(t, c.links, fake.links)
			require.Len(t, fake.filters, c.lists)
		})
	}

	t.Run("without Cognito nothing is linked", func(t *testing.T) {
		h := &PreSignUpHandler{LinkProviders: []string{"Google"}}
		require.NoError(t, h.Handle(context.Background(), signUpEvent(PreSignUpExternalProvider, "Google_1", Attributes{"email": "a@example.com"}, nil)))
	})
}

func TestEmailFilter(t *testing.T) {
	cases := map[string]string{
		"ana@example.com":  `email = "ana@example.com"`,
		`a"b@example.com`:  `email = "a\"b@example.com"`,
		`a\"@example.com`:  `email = "a\\\"@example.com"`,
		`x" or email ^= "`: `email = "x\" or email ^= \""`,
	}
	for in, want := range cases {
		require.Equal(t, want, EmailFilter(in), in)
	}
}

// The duplicate-email check reads further pages (as the SDK's paginator) and
// stops after three: an exact email filter matches a handful of users.
func TestPreSignUpEmailHolderPages(t *testing.T) {
	ana := Attributes{"email": "ana@example.com", "given_name": "Ana", "family_name": "Lima"}
	paged := func(holderOnPage int) func(UserQuery) (UserPage, error) {
		return func(q UserQuery) (UserPage, error) {
			page := 1
			if q.Token != "" {
				page, _ = strconv.Atoi(q.Token)
			}
			out := UserPage{Next: strconv.Itoa(page + 1)}
			if page == holderOnPage {
				out.Users = []CognitoUser{user("holder", UserStatusConfirmed)}
			} else {
				out.Users = []CognitoUser{user(fmt.Sprint("squat", page), UserStatusUnconfirmed)}
			}
			return out, nil
		}
	}
	for name, c := range map[string]struct {
		holderOnPage int
		refused      bool
		calls        int
	}{
		"holder on page 2":        {holderOnPage: 2, refused: true, calls: 2},
		"holder past three pages": {holderOnPage: 4, refused: false, calls: 3},
	} {
		t.Run(name, func(t *testing.T) {
			fake := &fakeCognito{list: paged(c.holderOnPage)}
			h := &PreSignUpHandler{UniqueEmail: true, Cognito: fake}
			err := h.Handle(context.Background(), signUpEvent(PreSignUpSignUp, "uuid-1", ana, nil))
			var refusal *Refusal
			if c.refused {
				require.ErrorAs(t, err, &refusal)
				require.Equal(t, messages.CodeEmailTaken, refusal.Code)
			} else {
				require.NoError(t, err)
			}
			require.Len(t, fake.filters, c.calls, "pages read for the one lower-case address")
		})
	}
}
