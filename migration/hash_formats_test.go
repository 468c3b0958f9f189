package migration

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Firebase's published sample project (firebase/scrypt README.md): signer
// key, salt separator, rounds 8, mem_cost 14; user salt 42xEC+ixf3L2lw==,
// password "user1password".
const (
	firebaseSignerKey     = "jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA=="
	firebaseSaltSeparator = "Bw=="
	firebaseSampleHash    = "lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ=="
	firebaseSampleSalt    = "42xEC+ixf3L2lw=="
)

func firebaseSample(tb testing.TB) FirebaseParams {
	tb.Helper()
	key, err := base64.StdEncoding.DecodeString(firebaseSignerKey)
	require.NoError(tb, err)
	sep, err := base64.StdEncoding.DecodeString(firebaseSaltSeparator)
	require.NoError(tb, err)
	return FirebaseParams{SignerKey: key, SaltSeparator: sep, Rounds: 8, MemCost: 14}
}

// formatVector is a stored password made by another implementation (tool),
// its password, and the format it belongs to.
type formatVector struct {
	format, tool string
	stored       Stored
	password     string
}

func keycloakParams(alg string, iter int) map[string]any {
	return map[string]any{"algorithm": alg, "hashIterations": float64(iter), "additionalParameters": map[string]any{}}
}

// formatVectors: every literal below was printed by the tool its entry names.
var formatVectors = []formatVector{
	{"bcrypt", "Apache htpasswd 2.4.57: htpasswd -nbB -C 5", Stored{Hash: vecBcrypt2y}, "tr0ub4dor&3"},
	{"argon2", "argon2 reference CLI 20190702 -id -t 1 -m 12 -p 2", Stored{Hash: vecArgon2id}, "hunter2"},
	{"django-pbkdf2", "Python hashlib.pbkdf2_hmac('sha256', …, 1000)", Stored{Hash: vecDjangoSHA256}, "hunter2"},
	{"django-scrypt", "Python hashlib.scrypt(n=1024, r=8, p=1, dklen=64)", Stored{Hash: vecScrypt}, "hunter2"},
	{"django-bcrypt-sha256", "passlib 1.7.4 django_bcrypt_sha256.using(rounds=5)",
		Stored{Hash: "bcrypt_sha256$$2b$05$abcdefghijklmnopqrstuufu6bwyuwA5r.POgneFCQyt1pp.Qybze"}, "hunter2"},
	{"django-bcrypt-sha256", `PHP 8.2: "bcrypt_sha256$".password_hash(hash("sha256", $p), PASSWORD_BCRYPT, cost 5)`,
		Stored{Hash: "bcrypt_sha256$$2y$05$/l1TXON7NooJnp3/wFk7keOMfPn5Ad7fMTT0t0FujNwa0zcyb6mbG"}, "hunter2"},
	{"passlib-pbkdf2", "passlib 1.7.4 pbkdf2_sha256.using(salt=b'passlibsalt', rounds=1000)",
		Stored{Hash: "$pbkdf2-sha256$1000$cGFzc2xpYnNhbHQ$VjMFP1pT8YWyxf39IopkcjLuzc83N8nn.9GrehnSjRU"}, "hunter2"},
	{"passlib-pbkdf2", "passlib 1.7.4 pbkdf2_sha512.using(salt=b'passlibsalt512', rounds=1000)",
		Stored{Hash: "$pbkdf2-sha512$1000$cGFzc2xpYnNhbHQ1MTI$nTeMxbSEbHt0JAHe/lX8SShby3rpfjDWI4kOMlhHWjGwy.tm8fYUqRf7SNSQDzNK0jtvYGrZyGSiJQ4tF2Krwg"}, "hunter2"},
	{"passlib-pbkdf2", "passlib 1.7.4 pbkdf2_sha1.using(salt=b'sha1salt', rounds=1000)",
		Stored{Hash: "$pbkdf2$1000$c2hhMXNhbHQ$uaS6FglQRls5MhzElBYhlfJ8nVY"}, "hunter2"},
	{"phpass", "passlib 1.7.4 phpass.using(salt='Ab3dEf6h', rounds=8, ident='P') (WordPress's setting)",
		Stored{Hash: "$P$6Ab3dEf6hqRBWGVch07AufcJNakXDA0"}, "hunter2"},
	{"phpass", "passlib 1.7.4 phpass.using(salt='zZ9.yY8/', rounds=11, ident='H') (phpBB3's setting)",
		Stored{Hash: "$H$9zZ9.yY8/nqToJ.EsdkBw.ZhmCfNHH0"}, "phpbb-pass"},
	{"wordpress-bcrypt", `PHP 8.2: "$wp".password_hash(base64_encode(hash_hmac("sha384", trim(" hunter2 "), "wp-sha384", true)), PASSWORD_BCRYPT, cost 5)`,
		Stored{Hash: "$wp$2y$05$4MbAbApnaufxsWTwWYTarebecwlkn.Iz2dJTd0THP.4Zr7aprFeke"}, "hunter2"},
	{"wordpress-bcrypt", "the same PHP vector: WordPress trims the password first",
		Stored{Hash: "$wp$2y$05$4MbAbApnaufxsWTwWYTarebecwlkn.Iz2dJTd0THP.4Zr7aprFeke"}, " hunter2\n"},
	{"md5-crypt", "OpenSSL 3.0.19: openssl passwd -1 -salt saltsalt", Stored{Hash: "$1$saltsalt$ZliGyAN3DciDHEkDboonh/"}, "hunter2"},
	{"md5-crypt", "passlib 1.7.4 md5_crypt.using(salt='Pa55word')", Stored{Hash: "$1$Pa55word$AGb/SfGBRk7vWJ7ZOmpcd1"}, "tr0ub4dor&3"},
	{"md5-crypt", "OpenSSL 3.0.19: openssl passwd -1 -salt ab ''", Stored{Hash: "$1$ab$rn6aQS/o7141mj179E/zA."}, ""},
	{"md5-crypt", "OpenSSL 3.0.19: openssl passwd -apr1 -salt saltsalt", Stored{Hash: "$apr1$saltsalt$r/QcFGT5pNL28bNkeDMHR."}, "hunter2"},
	{"sha256-crypt", "OpenSSL 3.0.19: openssl passwd -5 -salt saltsalt", Stored{Hash: "$5$saltsalt$OIdfjX.u4Y3SJ4I2bX8w5BMf1VAUhHABNUirScDzZi3"}, "hunter2"},
	{"sha256-crypt", "passlib 1.7.4 sha256_crypt.using(salt='saltysalt', rounds=1000)",
		Stored{Hash: "$5$rounds=1000$saltysalt$px/q23smqxwT9HTzo7mJUghsyIgz7gqxQfTbvtpZlyB"}, "hunter2"},
	{"sha256-crypt", "passlib 1.7.4 sha256_crypt.using(salt='s0mes4lt', rounds=5000), UTF-8 password",
		Stored{Hash: "$5$s0mes4lt$NgEaTLwEV5rkDE5OP4L0nlIuneAnQ02x3IlfOz5hEa."}, "pässwörd"},
	{"sha512-crypt", "OpenSSL 3.0.19: openssl passwd -6 -salt saltsalt",
		Stored{Hash: "$6$saltsalt$8iYtNHxjWRl.NF6oNZ5tF.iKFlQREaXBLlSmZKP6dy9l5z3vsooWNW0/GZ6Nej73/TFug6pIPSqbJoCT6dfnj."}, "hunter2"},
	{"sha512-crypt", "OpenSSL 3.0.19: openssl passwd -6 -salt abcdefghijklmnopqrst (salt cut to 16)",
		Stored{Hash: "$6$abcdefghijklmnop$q2YZbPhm1LySTIzZVDisu/y2CX1McrFsw529ViOLMxoKT.sfgjBo4aFu.hwtGjEDxRb6mn/TZMj7V4/1AUTLi1"}, "correct horse"},
	{"sha512-crypt", "passlib 1.7.4 sha512_crypt.using(salt='saltysaltysalt12', rounds=10000)",
		Stored{Hash: "$6$rounds=10000$saltysaltysalt12$.Ixml0rB/0hF96NHemMPOlQR9kwP3pJYImSnfYei/A3GCvmU5Vm13Iy2UR9ZEuOPrBBYY0gG8Onyx9S/5kjyH."}, "hunter2"},
	{"ldap", "passlib 1.7.4 ldap_salted_sha1.using(salt=b'saltsalt')", Stored{Hash: "{SSHA}EwvBq0sMQSLLD3eOSZNmhQqOOkRzYWx0c2FsdA=="}, "hunter2"},
	{"ldap", "passlib 1.7.4 ldap_sha1", Stored{Hash: "{SHA}87u9ZqY9S/F0eUBXjsPQEDUw4h0="}, "hunter2"},
	{"ldap", "passlib 1.7.4 ldap_sha1, scheme in lower case as some directories export it", Stored{Hash: "{sha}87u9ZqY9S/F0eUBXjsPQEDUw4h0="}, "hunter2"},
	{"ldap", "passlib 1.7.4 ldap_salted_sha256.using(salt=b'saltsaltsalt')",
		Stored{Hash: "{SSHA256}JnD4yalYUdI2rfg39l0U2tkAI2q6q4NU68tMzo2z2nVzYWx0c2FsdHNhbHQ="}, "hunter2"},
	{"ldap", "passlib 1.7.4 ldap_salted_sha512.using(salt=b'saltsaltsaltsalt')",
		Stored{Hash: "{SSHA512}7bi/VXfojaVbfcJVKCuQy82ipNS4wsBLxpmim22cAMQsJ31BLPVjuuQxvqMaJ5uSlWMN8JJWbhqGmb/K3qy87nNhbHRzYWx0c2FsdHNhbHQ="}, "hunter2"},
	{"ldap", "Python hashlib: base64(sha512(b'hunter2' + salt).digest() + salt), salt = b'longsalt' * 12 (a 96-byte salt: decoded past the stack buffer)",
		Stored{Hash: "{SSHA512}5o2BVEM2AfGdOpBzb0QOQfQApuswFh6701cqSsK484QgJtxob397gKgABmqP78+feptjqA22D7HUry2nQD2UlmxvbmdzYWx0bG9uZ3NhbHRsb25nc2FsdGxvbmdzYWx0bG9uZ3NhbHRsb25nc2FsdGxvbmdzYWx0bG9uZ3NhbHRsb25nc2FsdGxvbmdzYWx0bG9uZ3NhbHRsb25nc2FsdA=="}, "hunter2"},
	{"ldap", "passlib 1.7.4 ldap_salted_md5.using(salt=b'salt')", Stored{Hash: "{SMD5}VsxuPFiy4be+ZEwZbUqLWXNhbHQ="}, "hunter2"},
	{"ldap", "passlib 1.7.4 ldap_md5", Stored{Hash: "{MD5}KrljkMfb40Od500MmwsXZw=="}, "hunter2"},
	{"ldap", "passlib 1.7.4 ldap_sha512_crypt.using(salt='ldapsalt', rounds=5000)",
		Stored{Hash: "{CRYPT}$6$ldapsalt$sohAEfKlj9r76eJJGwD68qS9SUe0ZwB8Tb/CwrZlkFRrqm5CLOyGElwTDS/zZzpUSNmkohkIlv1EEVbTQ0Y0q0"}, "hunter2"},
	{"ldap", "passlib 1.7.4 ldap_md5_crypt.using(salt='ldapsalt')", Stored{Hash: "{CRYPT}$1$ldapsalt$1Sehqu9DnkXpA1Xr5YrBv."}, "hunter2"},
	{"ldap", "passlib 1.7.4 ldap_bcrypt.using(rounds=4)", Stored{Hash: "{CRYPT}$2b$04$abcdefghijklmnopqrstuuV3duMsC0HpUex6N9qapiuOHHWkwRXVm"}, "hunter2"},
	{"aspnet-identity", "Python hashlib.pbkdf2_hmac('sha1', …, b'aspnet-v2-salt16', 1000, 32), v2 layout 0x00|salt|subkey",
		Stored{Format: "aspnet-identity", Hash: "AGFzcG5ldC12Mi1zYWx0MTaZokd7eidWngALbsV17yM9J8gGvRdlmdro0PBj2JTpEg=="}, "hunter2"},
	{"aspnet-identity", "Python hashlib.pbkdf2_hmac('sha256', …, 10000, 32), v3 layout 0x01|prf 1|iter|saltlen 16|salt|subkey",
		Stored{Format: "aspnet-identity", Hash: "AQAAAAEAACcQAAAAEGFzcG5ldC12My1zYWx0MTZAwKT/N/rzHjTF0LEUdli/Qnez+old+8uGQUb0so+cVg=="}, "hunter2"},
	{"aspnet-identity", "Python hashlib.pbkdf2_hmac('sha512', …, 100000, 32), v3 as .NET 7+ writes it",
		Stored{Format: "aspnet-identity", Hash: "AQAAAAIAAYagAAAAEGFzcG5ldC12My1zYWx0MTZix98+IAj/74rJTUxXFwPWL5odJ25id4BVXYTbIRcfpw=="}, "Passw0rd!"},
	{"firebase-scrypt", "firebase/scrypt README.md sample (user1@test.com)",
		Stored{Format: "firebase-scrypt", Hash: firebaseSampleHash, Salt: firebaseSampleSalt}, "user1password"},
	{"keycloak", "Python hashlib.pbkdf2_hmac('sha256', …, b'keycloak-salt-16', 27500, 32) (Keycloak ≤ 23's default)",
		Stored{Format: "keycloak", Hash: "5bp1e7CNZr+UdzEupWez8UQfv//vY3BYVPAtjoZ2GTI=", Salt: "a2V5Y2xvYWstc2FsdC0xNg==",
			Params: keycloakParams("pbkdf2-sha256", 27500)}, "hunter2"},
	{"keycloak", "Python hashlib.pbkdf2_hmac('sha512', …, 210000, 64) (Keycloak ≥ 24's default)",
		Stored{Format: "keycloak", Hash: "igU8K2pQKx9Jz7CjuwcS/tF3Q8ZRdh7JqFCZ6sO3dDZQ1nc1JPYmN9kMAyxGuIuf3KvxNgeiD+7dSNjL1o1Qpg==", Salt: "a2V5Y2xvYWstc2FsdC0xNg==",
			Params: keycloakParams("pbkdf2-sha512", 210000)}, "hunter2"},
	{"keycloak", "Python hashlib.pbkdf2_hmac('sha1', …, 20000, 64) (Keycloak's pbkdf2)",
		Stored{Format: "keycloak", Hash: "1ZRaNY2PNbqIJV4V4Ft/Wwh3oYjEHGhevc75Zgiyug+yvDiZlfbsOHxwk4E7bBDq3gClE0tiIdItrnA0sk1GRQ==", Salt: "a2V5Y2xvYWstc2FsdC0xNg==",
			Params: map[string]any{"algorithm": "pbkdf2", "hashIterations": "20000"}}, "hunter2"},
}

func TestFormatVectors(t *testing.T) {
	v := &Verifier{Firebase: firebaseSample(t)}
	for _, c := range formatVectors {
		t.Run(c.format+"/"+c.tool, func(t *testing.T) {
			f, err := lookupFormat(c.stored)
			require.NoError(t, err)
			require.Equal(t, c.format, f.Name)
			ok, err := v.Verify(c.stored, []byte(c.password))
			require.NoError(t, err)
			require.True(t, ok, "the right password verifies")
			ok, err = v.Verify(c.stored, []byte(c.password+"x"))
			require.NoError(t, err)
			require.False(t, ok, "a wrong password is refused")
		})
	}
}

// Every format of the registry has vectors from another implementation.
func TestEveryFormatHasVectors(t *testing.T) {
	have := map[string]bool{}
	for _, c := range formatVectors {
		have[c.format] = true
	}
	for _, f := range Formats {
		require.True(t, have[f.Name], "format %s has no vector", f.Name)
	}
}

// Malformed, truncated and hostile values are a data problem, never a panic,
// for every format.
func TestFormatDataProblems(t *testing.T) {
	v := &Verifier{Firebase: firebaseSample(t)}
	const sha512Sum = "$8iYtNHxjWRl.NF6oNZ5tF.iKFlQREaXBLlSmZKP6dy9l5z3vsooWNW0/GZ6Nej73/TFug6pIPSqbJoCT6dfnj."
	kc := keycloakParams("pbkdf2-sha256", 27500)
	cases := map[string]struct {
		stored Stored
		want   error
	}{
		"phpass truncated":               {Stored{Hash: "$P$6Ab3dEf6hqRBWGVch07AufcJNakXDA"}, ErrMalformed},
		"phpass 2^30 rounds":             {Stored{Hash: "$P$SAb3dEf6hqRBWGVch07AufcJNakXDA0"}, ErrParams},
		"phpass rounds char below 7":     {Stored{Hash: "$P$.Ab3dEf6hqRBWGVch07AufcJNakXDA0"}, ErrMalformed},
		"wordpress truncated":            {Stored{Hash: "$wp$2y$05$4MbAbApnaufxsWT"}, ErrMalformed},
		"wordpress cost 31":              {Stored{Hash: "$wp$2y$31$4MbAbApnaufxsWTwWYTarebecwlkn.Iz2dJTd0THP.4Zr7aprFeke"}, ErrParams},
		"md5-crypt no checksum":          {Stored{Hash: "$1$saltsalt"}, ErrMalformed},
		"md5-crypt salt of 9":            {Stored{Hash: "$1$saltsalt9$ZliGyAN3DciDHEkDboonh/"}, ErrMalformed},
		"sha512-crypt absurd rounds":     {Stored{Hash: "$6$rounds=999999999$saltsalt" + sha512Sum}, ErrParams},
		"sha512-crypt rounds overflow":   {Stored{Hash: "$6$rounds=99999999999999999999$saltsalt" + sha512Sum}, ErrMalformed},
		"sha512-crypt rounds not number": {Stored{Hash: "$6$rounds=12x$saltsalt" + sha512Sum}, ErrMalformed},
		"sha512-crypt truncated":         {Stored{Hash: "$6$saltsalt$8iYtNHxjWRl"}, ErrMalformed},
		"sha256-crypt 17-char salt":      {Stored{Hash: "$5$saltsaltsaltsalt1$OIdfjX.u4Y3SJ4I2bX8w5BMf1VAUhHABNUirScDzZi3"}, ErrMalformed},
		"ssha bad base64":                {Stored{Hash: "{SSHA}!!!notbase64"}, ErrMalformed},
		"ssha no salt":                   {Stored{Hash: "{SSHA}87u9ZqY9S/F0eUBXjsPQEDUw4h0="}, ErrMalformed},
		"sha truncated":                  {Stored{Hash: "{SHA}87u9ZqY9S/F0eUBX"}, ErrMalformed},
		"ldap unknown scheme":            {Stored{Hash: "{SHA}"}, ErrMalformed},
		"crypt of plaintext":             {Stored{Hash: "{CRYPT}hunter2"}, ErrUnknownFormat},
		"django bcrypt_sha256 truncated": {Stored{Hash: "bcrypt_sha256$$2b$05$abc"}, ErrMalformed},
		"passlib bad base64":             {Stored{Hash: "$pbkdf2-sha256$1000$***$VjMFP1pT8YWyxf39IopkcjLuzc83N8nn.9GrehnSjRU"}, ErrMalformed},
		"passlib absurd rounds":          {Stored{Hash: "$pbkdf2-sha256$999999999$cGFzc2xpYnNhbHQ$VjMFP1pT8YWyxf39IopkcjLuzc83N8nn.9GrehnSjRU"}, ErrParams},
		"passlib truncated":              {Stored{Hash: "$pbkdf2-sha256$1000$cGFzc2xpYnNhbHQ"}, ErrMalformed},
		"passlib short checksum":         {Stored{Hash: "$pbkdf2-sha256$1000$cGFzc2xpYnNhbHQ$VjMFP1pT8YWyxf39"}, ErrMalformed},
		"aspnet bad base64":              {Stored{Format: "aspnet-identity", Hash: "%%%"}, ErrMalformed},
		"aspnet v2 truncated":            {Stored{Format: "aspnet-identity", Hash: "AGFzcG5ldC12Mi1zYWx0MTaZokd7"}, ErrMalformed},
		"aspnet v3 header truncated":     {Stored{Format: "aspnet-identity", Hash: "AQAAAAEAACcQ"}, ErrMalformed},
		"aspnet v3 absurd iterations":    {Stored{Format: "aspnet-identity", Hash: "AQAAAAF/////AAAAEGFzcG5ldC12My1zYWx0MTZAwKT/N/rzHjTF0LEUdli/Qnez+old+8uGQUb0so+cVg=="}, ErrParams},
		"aspnet v3 salt length lies":     {Stored{Format: "aspnet-identity", Hash: "AQAAAAEAACcQ/////2FzcG5ldC12My1zYWx0MTZAwKT/N/rzHjTF0LEUdli/Qnez+old+8uGQUb0so+cVg=="}, ErrMalformed},
		"aspnet unknown marker":          {Stored{Format: "aspnet-identity", Hash: "AmFzcG5ldC12Mi1zYWx0MTaZokd7eidWngALbsV17yM9J8gGvRdlmdro0PBj2JTpEg=="}, ErrMalformed},
		"firebase no salt":               {Stored{Format: "firebase-scrypt", Hash: firebaseSampleHash}, ErrMalformed},
		"firebase bad base64":            {Stored{Format: "firebase-scrypt", Hash: "lSrf!!", Salt: firebaseSampleSalt}, ErrMalformed},
		"keycloak no params":             {Stored{Format: "keycloak", Hash: "5bp1e7CNZr+UdzEupWez8UQfv//vY3BYVPAtjoZ2GTI=", Salt: "a2V5Y2xvYWstc2FsdC0xNg=="}, ErrUnknownFormat},
		"keycloak absurd iterations": {Stored{Format: "keycloak", Hash: "5bp1e7CNZr+UdzEupWez8UQfv//vY3BYVPAtjoZ2GTI=", Salt: "a2V5Y2xvYWstc2FsdC0xNg==",
			Params: keycloakParams("pbkdf2-sha256", 2_000_000_000)}, ErrParams},
		"keycloak fractional iterations": {Stored{Format: "keycloak", Hash: "5bp1e7CNZr+UdzEupWez8UQfv//vY3BYVPAtjoZ2GTI=", Salt: "a2V5Y2xvYWstc2FsdC0xNg==",
			Params: map[string]any{"algorithm": "pbkdf2-sha256", "hashIterations": 1.5}}, ErrMalformed},
		"keycloak bad salt":               {Stored{Format: "keycloak", Hash: "5bp1e7CNZr+UdzEupWez8UQfv//vY3BYVPAtjoZ2GTI=", Salt: "&&", Params: kc}, ErrMalformed},
		"keycloak argon2":                 {Stored{Format: "keycloak", Hash: "5bp1e7CNZr+UdzEupWez8UQfv//vY3BYVPAtjoZ2GTI=", Params: map[string]any{"algorithm": "argon2"}}, ErrUnknownFormat},
		"unknown record format":           {Stored{Format: "md4-of-doom", Hash: "x"}, ErrUnknownFormat},
		"named format without its prefix": {Stored{Format: "phpass", Hash: "5bp1e7CNZr+UdzEupWez8UQfv//vY3BYVPAtjoZ2GTI="}, ErrMalformed},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			ok, err := v.Verify(c.stored, []byte("hunter2"))
			require.False(t, ok)
			require.ErrorIs(t, err, c.want)
		})
	}
	t.Run("firebase without the project's parameters", func(t *testing.T) {
		var plain Verifier
		_, err := plain.Verify(Stored{Format: "firebase-scrypt", Hash: firebaseSampleHash, Salt: firebaseSampleSalt}, []byte("user1password"))
		require.ErrorIs(t, err, ErrParams)
	})
}

// Issue 11 item 10: a hash column that holds a secret in any field is never
// quoted; the problem is told by format and position.
func TestDataProblemsNeverQuoteTheHash(t *testing.T) {
	const secret = "Hunter2-Plaintext-Secret"
	v := &Verifier{Firebase: firebaseSample(t)}
	hashes := []Stored{{Hash: "$argon2id$v=19$" + secret + "$$"}, {Hash: secret}}
	// put the secret in every $-separated field of every vector in turn
	for _, c := range formatVectors {
		fields := strings.Split(c.stored.Hash, "$")
		for i := range fields {
			f := append([]string{}, fields...)
			f[i] = secret
			s := c.stored
			s.Hash = strings.Join(f, "$")
			hashes = append(hashes, s)
		}
		s := c.stored
		s.Salt = secret
		hashes = append(hashes, s)
		s = c.stored
		s.Format = secret
		hashes = append(hashes, s)
	}
	for _, s := range hashes {
		_, err := v.Verify(s, []byte("hunter2"))
		if err != nil {
			require.NotContains(t, err.Error(), "Hunter2", "format %q", s.Format)
			require.NotContains(t, err.Error(), "Secret")
		}
	}
	_, err := Verify("$argon2id$v=19$"+secret+"$$", nil)
	require.ErrorIs(t, err, ErrMalformed)
	require.Equal(t, "malformed password hash: argon2: parameter 1 of field 4", err.Error())
}

// fuzzLimits keep every format cheap enough to fuzz: the same code paths as
// DefaultLimits, smaller bounds.
var fuzzLimits = Limits{BcryptCost: 5, Argon2MemoryKiB: 64, Argon2Time: 2, Argon2Threads: 2, PBKDF2Iterations: 2000,
	ScryptMemory: 256 << 10, ScryptP: 2, CryptRounds: 2000, PhpassLog2: 9}

// fuzzStored turns the fuzzer's hash into a stored password: as it is
// (self-describing), and for each record-named format as
// value|salt|params-JSON.
func fuzzStored(hash string) []Stored {
	out := []Stored{{Hash: hash}}
	value, rest, _ := strings.Cut(hash, "|")
	salt, params, _ := strings.Cut(rest, "|")
	var p map[string]any
	_ = json.Unmarshal([]byte(params), &p)
	for _, f := range Formats {
		if len(f.Prefixes) == 0 {
			out = append(out, Stored{Format: f.Name, Hash: value, Salt: salt, Params: p})
		}
	}
	return out
}

// FuzzVerify: every format (limits capped, not skipped), any input is a
// result or a data problem, never a panic; a data problem does not depend on
// the password and never quotes the stored value.
func FuzzVerify(f *testing.F) {
	for _, c := range formatVectors {
		seed := c.stored.Hash
		if c.stored.Format != "" {
			params, _ := json.Marshal(c.stored.Params)
			seed = fmt.Sprintf("%s|%s|%s", c.stored.Hash, c.stored.Salt, params)
		}
		f.Add(seed, c.password)
	}
	for _, h := range []string{vecArgon2i, vecDjangoSHA1, "", "$2b$04$", "argon2$argon2id$", "{CRYPT}$5$rounds=1000$x$"} {
		f.Add(h, "hunter2")
	}
	key, _ := base64.StdEncoding.DecodeString(firebaseSignerKey)
	v := &Verifier{Limits: fuzzLimits, Firebase: FirebaseParams{SignerKey: key, SaltSeparator: []byte{7}, Rounds: 2, MemCost: 4}}
	f.Fuzz(func(t *testing.T, hash, password string) {
		for _, s := range fuzzStored(hash) {
			ok, err := v.Verify(s, []byte(password))
			if err == nil {
				continue
			}
			require.False(t, ok)
			_, again := v.Verify(s, []byte(password+"\x00other"))
			require.EqualError(t, again, err.Error(), "a data problem does not depend on the password")
			for _, part := range []string{s.Hash, s.Salt} {
				for i := 0; i+20 <= len(part); i++ {
					require.NotContains(t, err.Error(), part[i:i+20], "a data problem quotes the stored value")
				}
			}
		}
	})
}

// The README's table lists every format of the registry.
func TestREADMEListsEveryFormat(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	for _, f := range Formats {
		require.Contains(t, string(readme), "| `"+f.Name+"` |", "README.md's hash table lacks %s", f.Name)
	}
}
