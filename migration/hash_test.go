package migration

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Literal vectors made by other implementations; each comment names the tool,
// the plaintext and the parameters.
const (
	// Apache htpasswd 2.4.57: htpasswd -nbB -C 5 u 'tr0ub4dor&3'
	vecBcrypt2y = "$2y$05$084/fqT1ftCpu0dMBGsbD.5/cweVvYNy1NQ28kpx73pqFkYSGcNkO"
	// libxcrypt crypt(3) via Python crypt.crypt, cost 5: 'correct horse battery staple'
	vecBcrypt2b = "$2b$05$t9HBBPi/6dwnt/51tiIsUuQuW9AidOpC3m3H99PbZ0MX4SSoph7YG"
	// libxcrypt crypt(3), cost 4: 'A' repeated 72 times
	vecBcrypt72 = "$2b$04$dpg7LEOxTZYFZPBVkjqiZ.f0YGUqA7YAOgPherzRQGbDhJ/p/ANsm"
	// libxcrypt crypt(3), cost 4: 'ünïcødé-пароль' (UTF-8)
	vecBcryptUTF8 = "$2b$04$6Ace98KzbmZ5FY.D95OvZ.10MRVYGyHBCmHifQWhqNKh6OuVB1kmi"
	// libxcrypt crypt(3), cost 15: 'x' (refused: above MaxBcryptCost)
	vecBcrypt15 = "$2b$15$dVRshT0zh/BRRabOEBtCF.SdnvGt3OX0BWDVTQoGNXPK6N/bRx1Ru"
	// argon2 reference CLI 20190702: echo -n 'hunter2' | argon2 saltsaltsalt -id -t 1 -m 12 -p 2 -e
	vecArgon2id = "$argon2id$v=19$m=4096,t=1,p=2$c2FsdHNhbHRzYWx0$p7b9xs9LTmsUh9izYepGwIOqwRbu1GJUM3iBE+3zWNc"
	// argon2 reference CLI: echo -n 'hunter2' | argon2 saltsaltsalt -i -t 3 -m 12 -p 1 -e
	vecArgon2i = "$argon2i$v=19$m=4096,t=3,p=1$c2FsdHNhbHRzYWx0$fg/MjxE6Ft3vMIq2O0mnNIH6p+rnl69uZc3asN8p2Os"
	// Python hashlib.pbkdf2_hmac('sha256', b'hunter2', b'seasalt', 1000) in Django's format
	vecDjangoSHA256 = "pbkdf2_sha256$1000$seasalt$aZOLUDnbVq4qfmIhIFCkAqvDNHspRzj9l43SgVe7GOM="
	// Python hashlib.pbkdf2_hmac('sha1', b'hunter2', b'oldsalt', 10000) in Django's format
	vecDjangoSHA1 = "pbkdf2_sha1$10000$oldsalt$6YdXD3hvcWW9Y3rFz/AGU683qPM="
	// Python hashlib.pbkdf2_hmac('sha256', b'x', b's', 5000000) (refused: iterations)
	vecDjangoHuge = "pbkdf2_sha256$5000000$s$2OuMVjf22JQROjrtBu7z4C4iyWgckLXo3RC4BY3eeo0="
	// Python hashlib.scrypt(b'hunter2', salt=b'tiny', n=1024, r=8, p=1, dklen=64) in Django's format
	vecScrypt = "scrypt$tiny$1024$8$1$BhTS72eyCUIYKpGGkIXIRhBTgpLT0Qz9PQ4PGuilIvf0bML87+T0zrteKmzLGGMHaxdiXjjDbrdyvbaPOBoy7g=="
)

func TestVerify(t *testing.T) {
	cases := map[string]struct {
		hash     string
		password string
		ok       bool
	}{
		"bcrypt 2y htpasswd":            {vecBcrypt2y, "tr0ub4dor&3", true},
		"bcrypt 2y wrong":               {vecBcrypt2y, "tr0ub4dor&4", false},
		"bcrypt 2b crypt(3)":            {vecBcrypt2b, "correct horse battery staple", true},
		"bcrypt 2b wrong":               {vecBcrypt2b, "correct horse battery stapl", false},
		"bcrypt 2a same bytes as 2b":    {"$2a$" + vecBcrypt2b[4:], "correct horse battery staple", true},
		"bcrypt 72 bytes":               {vecBcrypt72, strings.Repeat("A", 72), true},
		"bcrypt longer verifies on 72":  {vecBcrypt72, strings.Repeat("A", 72) + "anything after byte 72", true},
		"bcrypt 71 bytes is not 72":     {vecBcrypt72, strings.Repeat("A", 71), false},
		"bcrypt utf-8":                  {vecBcryptUTF8, "ünïcødé-пароль", true},
		"bcrypt utf-8 normalised wrong": {vecBcryptUTF8, "unicode-пароль", false},
		"argon2id reference":            {vecArgon2id, "hunter2", true},
		"argon2id wrong":                {vecArgon2id, "hunter3", false},
		"argon2i reference":             {vecArgon2i, "hunter2", true},
		"argon2i wrong":                 {vecArgon2i, "Hunter2", false},
		"argon2id django prefix":        {"argon2" + vecArgon2id, "hunter2", true},
		"django pbkdf2_sha256":          {vecDjangoSHA256, "hunter2", true},
		"django pbkdf2_sha256 wrong":    {vecDjangoSHA256, "hunter", false},
		"django pbkdf2_sha1":            {vecDjangoSHA1, "hunter2", true},
		"django pbkdf2_sha1 wrong":      {vecDjangoSHA1, "hunter22", false},
		"scrypt django":                 {vecScrypt, "hunter2", true},
		"scrypt wrong":                  {vecScrypt, "", false},
		"empty password against bcrypt": {vecBcrypt2y, "", false},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			ok, err := Verify(c.hash, []byte(c.password))
			require.NoError(t, err)
			require.Equal(t, c.ok, ok)
		})
	}
}

func TestVerifyDataProblems(t *testing.T) {
	const pw = "hunter2"
	cases := map[string]struct {
		hash string
		want error
	}{
		"empty":                    {"", ErrUnknownFormat},
		"plaintext in the store":   {pw, ErrUnknownFormat},
		"md5 crypt truncated":      {"$1$saltsalt$2vnaRpHa6Jxjz5n83ok8Z", ErrMalformed},
		"DES crypt in {CRYPT}":     {"{CRYPT}saHW9GdxihkGQ", ErrUnknownFormat},
		"bcrypt 2x":                {"$2x$05$" + vecBcrypt2y[7:], ErrUnknownFormat},
		"bcrypt cost 15":           {vecBcrypt15, ErrParams},
		"bcrypt cost 31":           {"$2b$31$" + vecBcrypt2b[7:], ErrParams},
		"bcrypt truncated":         {vecBcrypt2y[:30], ErrMalformed},
		"bcrypt bad cost":          {"$2b$x5$" + vecBcrypt2b[7:], ErrMalformed},
		"argon2id 4 GiB":           {"$argon2id$v=19$m=4194304,t=1,p=1$c2FsdHNhbHRzYWx0$p7b9xs9LTmsUh9izYepGwIOqwRbu1GJUM3iBE+3zWNc", ErrParams},
		"argon2id t=1000":          {"$argon2id$v=19$m=4096,t=1000,p=2$c2FsdHNhbHRzYWx0$p7b9xs9LTmsUh9izYepGwIOqwRbu1GJUM3iBE+3zWNc", ErrParams},
		"argon2id p=0":             {"$argon2id$v=19$m=4096,t=1,p=0$c2FsdHNhbHRzYWx0$p7b9xs9LTmsUh9izYepGwIOqwRbu1GJUM3iBE+3zWNc", ErrMalformed},
		"argon2id m overflow":      {"$argon2id$v=19$m=99999999999,t=1,p=1$c2FsdHNhbHRzYWx0$p7b9", ErrMalformed},
		"argon2d":                  {"$argon2d$v=19$m=4096,t=1,p=2$c2FsdHNhbHRzYWx0$p7b9xs9LTmsUh9izYepGwIOqwRbu1GJUM3iBE+3zWNc", ErrUnknownFormat},
		"argon2 v=16":              {"$argon2i$v=16$m=4096,t=3,p=1$c2FsdHNhbHRzYWx0$fg/MjxE6Ft3vMIq2O0mnNIH6p+rnl69uZc3asN8p2Os", ErrUnknownFormat},
		"argon2 missing part":      {"$argon2id$v=19$m=4096,t=1,p=2$c2FsdHNhbHRzYWx0", ErrMalformed},
		"argon2 bad base64":        {"$argon2id$v=19$m=4096,t=1,p=2$!!!!$p7b9xs9LTmsUh9izYepGwIOqwRbu1GJUM3iBE+3zWNc", ErrMalformed},
		"argon2 unknown param":     {"$argon2id$v=19$m=4096,t=1,x=2$c2FsdHNhbHRzYWx0$p7b9xs9LTmsUh9izYepGwIOqwRbu1GJUM3iBE+3zWNc", ErrMalformed},
		"pbkdf2 5M iterations":     {vecDjangoHuge, ErrParams},
		"pbkdf2 no iterations":     {"pbkdf2_sha256$$seasalt$aZOLUDnbVq4qfmIhIFCkAqvDNHspRzj9l43SgVe7GOM=", ErrMalformed},
		"pbkdf2 negative":          {"pbkdf2_sha256$-5$seasalt$aZOLUDnbVq4qfmIhIFCkAqvDNHspRzj9l43SgVe7GOM=", ErrMalformed},
		"pbkdf2 short":             {"pbkdf2_sha256$1000$seasalt", ErrMalformed},
		"pbkdf2 bad base64":        {"pbkdf2_sha256$1000$seasalt$***", ErrMalformed},
		"scrypt N not power of 2":  {"scrypt$tiny$1000$8$1$" + vecScrypt[len("scrypt$tiny$1024$8$1$"):], ErrMalformed},
		"scrypt 2^20 r=8 is 1 GiB": {"scrypt$tiny$1048576$8$1$" + vecScrypt[len("scrypt$tiny$1024$8$1$"):], ErrParams},
		"scrypt huge r":            {"scrypt$tiny$2$999999999$1$" + vecScrypt[len("scrypt$tiny$1024$8$1$"):], ErrParams},
		"scrypt p=1000":            {"scrypt$tiny$1024$8$1000$" + vecScrypt[len("scrypt$tiny$1024$8$1$"):], ErrParams},
		"sha256 hash, sha1 prefix": {"pbkdf2_sha1" + vecDjangoSHA256[len("pbkdf2_sha256"):], ErrMalformed},
		"scrypt short":             {"scrypt$tiny$1024$8$1", ErrMalformed},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			ok, err := Verify(c.hash, []byte(pw))
			require.False(t, ok)
			require.ErrorIs(t, err, c.want)
			require.NotContains(t, err.Error(), pw, "a data problem never quotes a password")
		})
	}
}
