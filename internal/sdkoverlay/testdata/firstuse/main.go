// Command firstuse prints what the packages internal/sdkoverlay computes on
// first use answer: language tags parsed (variants among them), matched
// (paradigm locales and aliases among them) and the bytes of an event-stream
// message with its checksums, for internal/sdkoverlay's test: built once
// against go.mod and once against the rewritten copies, its output must
// match.
package main

import (
	"bytes"
	"encoding/hex"
	"fmt"

	"github.com/aws/smithy-go/eventstream"
	"golang.org/x/text/language"
)

func main() {
	// Tags with variants (read variantIndex), aliases and grandfathered forms.
	for _, s := range []string{"en", "pt-BR", "sl-rozaj-biske-1994", "de-1996-1901", "ca-ES-valencia",
		"en-US-u-va-posix", "sh", "iw", "zh-min-nan", "i-klingon", "tl", "no-nyn", "und", "x-bogus", "de-DE-1901-1901"} {
		t, err := language.Parse(s)
		fmt.Printf("parse %q: %v %v\n", s, t, err)
	}
	// Matches that read the matcher's tables: paradigm locales (en-GB for
	// en-AU, es-419 for es-MX, pt-PT for pt-AO), and languages whose
	// canonical form differs (notEquivalent).
	supported := language.NewMatcher([]language.Tag{language.English, language.MustParse("en-GB"),
		language.MustParse("es"), language.MustParse("es-419"), language.MustParse("pt-BR"), language.MustParse("pt-PT"),
		language.MustParse("sr-Latn"), language.MustParse("nb"), language.MustParse("zh-Hant"), language.MustParse("he")})
	for _, s := range []string{"en-AU", "en-US", "en-IN", "es-MX", "es-ES", "pt-AO", "pt", "sh", "sr-ME", "no", "nn",
		"zh-TW", "zh-HK", "iw", "tl", "de", "und", "en-GB-oxendict"} {
		tag, index, conf := supported.Match(language.MustParse(s))
		fmt.Printf("match %q: %v %d %v\n", s, tag, index, conf)
	}

	// An event-stream message: its prelude and message checksums.
	var buf bytes.Buffer
	msg := eventstream.Message{Payload: []byte(`{"hello":"world"}`)}
	msg.Headers.Set(":event-type", eventstream.StringValue("Records"))
	if err := eventstream.NewEncoder().Encode(&buf, msg); err != nil {
		panic(err)
	}
	fmt.Println("eventstream", hex.EncodeToString(buf.Bytes()))
	decoded, err := eventstream.NewDecoder().Decode(bytes.NewReader(buf.Bytes()), nil)
	fmt.Printf("decoded %s %v\n", decoded.Payload, err)
	corrupt := bytes.Clone(buf.Bytes())
	corrupt[len(corrupt)-5] ^= 1
	_, err = eventstream.NewDecoder().Decode(bytes.NewReader(corrupt), nil)
	fmt.Println("corrupt:", err)
}
