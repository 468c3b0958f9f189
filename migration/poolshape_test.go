package migration

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNormalizePhone(t *testing.T) {
	cases := map[string]struct {
		raw, region, want string
	}{
		"US national with region":      {"(555) 123-4567", "US", ""}, // 555-123 is not a valid US number
		"US national, real exchange":   {"(202) 555-0143", "US", "+12025550143"},
		"already E.164":                {"+5511987654321", "", "+5511987654321"},
		"international with spaces":    {"+55 11 98765-4321", "US", "+5511987654321"},
		"national without region":      {"(202) 555-0143", "", ""},
		"Brazil national, region BR":   {"(11) 98765-4321", "br", "+5511987654321"},
		"letters":                      {"call me", "US", ""},
		"too short":                    {"+1 202", "", ""},
		"00 international prefix (DE)": {"0049 30 901820", "DE", "+4930901820"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := NormalizePhone(c.raw, c.region)
			if c.want == "" {
				require.Error(t, err)
				require.NotContains(t, err.Error(), c.raw, "the number is never quoted")
				return
			}
			require.NoError(t, err)
			require.Equal(t, c.want, got)
		})
	}
	require.True(t, KnownPhoneRegion("br"))
	require.False(t, KnownPhoneRegion("XX"))
}

// What a UserMigration answer says in each pool shape (AWS: "If email is
// selected as an alias, a username can't match a valid email format"; in a
// pool whose username is email, username is never returned).
func TestPoolShapeAnswer(t *testing.T) {
	jdoe := User{ID: "1002", Username: "jdoe", Email: "John.Doe@legacy.example.com", EmailVerified: true,
		Phone: "(202) 555-0143", PhoneVerified: true}
	marta := User{ID: "1001", Username: "marta@legacy.example.com", Email: "marta@legacy.example.com", EmailVerified: true}
	noID := User{Username: "uma@legacy.example.com", Email: "uma@legacy.example.com", EmailVerified: true}
	uma := User{Username: "uma", Email: "uma@legacy.example.com"}
	emailPool := PoolShape{UsernameAttributes: []string{"email"}, PhoneRegion: "US"}
	aliasPool := PoolShape{AliasAttributes: []string{"email", "phone_number", "preferred_username"}, PhoneRegion: "US"}
	plainPool := PoolShape{PhoneRegion: "US"}
	cases := map[string]struct {
		shape    PoolShape
		login    string
		u        User
		username string
		attrs    map[string]string // checked keys
		err      error
	}{
		"username pool, typed username":            {shape: plainPool, login: "jdoe", u: jdoe},
		"username pool, typed email: omitted":      {shape: plainPool, login: "john.doe@legacy.example.com", u: jdoe},
		"email-username pool: never a username":    {shape: emailPool, login: "john.doe@legacy.example.com", u: jdoe},
		"alias pool, typed username":               {shape: aliasPool, login: "jdoe", u: jdoe},
		"alias pool, typed email":                  {shape: aliasPool, login: "john.doe@legacy.example.com", u: jdoe, username: "jdoe", attrs: map[string]string{"email": "john.doe@legacy.example.com", "email_verified": "true"}},
		"alias pool, typed phone":                  {shape: aliasPool, login: "+12025550143", u: jdoe, username: "jdoe", attrs: map[string]string{"phone_number": "+12025550143", "phone_number_verified": "true"}},
		"alias pool, email-shaped username":        {shape: aliasPool, login: "marta@legacy.example.com", u: marta, username: "1001"},
		"alias pool, email-shaped username, no id": {shape: aliasPool, login: "uma@legacy.example.com", u: noID, username: CognitoUsername(noID)},
		"alias pool, unverified email typed":       {shape: aliasPool, login: "uma@legacy.example.com", u: uma, err: ErrAliasUnverified},
		"alias pool, unverified email, username":   {shape: aliasPool, login: "uma", u: uma, attrs: map[string]string{"email": "uma@legacy.example.com", "email_verified": ""}},
		"phone normalized":                         {shape: plainPool, login: "jdoe", u: jdoe, attrs: map[string]string{"phone_number": "+12025550143"}},
		"bad phone dropped":                        {shape: plainPool, login: "jdoe", u: User{Username: "x", Phone: "(555) 123-4567", PhoneVerified: true}, attrs: map[string]string{"phone_number": "", "phone_number_verified": ""}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			a, err := c.shape.Answer(c.login, c.u)
			if c.err != nil {
				require.ErrorIs(t, err, c.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, c.username, a.Username)
			if a.Username != "" {
				require.False(t, aliasShaped(a.Username), "never email- or phone-shaped: %s", a.Username)
			}
			for k, v := range c.attrs {
				require.Equal(t, v, a.Attributes[k], k)
			}
		})
	}
	require.Equal(t, CognitoUsername(noID), CognitoUsername(noID), "stable")
	require.Regexp(t, `^legacy-[0-9a-f]{24}$`, CognitoUsername(noID))
	require.False(t, (Answer{Attributes: map[string]string{"phone_number_verified": "true"}}).CanReceiveCode(), "a dropped phone is no channel")
}
