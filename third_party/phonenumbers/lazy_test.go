package phonenumbers

// POOLSIDE (lazy-init.patch): the metadata, the package-level regexps and the
// protobuf registrations are loaded on first use, not at package init, and that first use is safe from
// many goroutines (go test -race). Upstream's tests are not vendored;
// POOLSIDE.md says how to run them.

import (
	"sync"
	"testing"
)

func TestMetadataLoadsOnFirstUse(t *testing.T) {
	if File_phonenumber_proto != nil || File_phonemetadata_proto != nil {
		t.Fatal("package init registered the protobuf descriptors")
	}
	if currentMetadata != nil || currMetadataColl != nil {
		t.Fatal("package init loaded the metadata")
	}
	if len(shortNumberRegionToMetadataMap) != 0 || currShortNumberMetadataColl != nil {
		t.Fatal("package init loaded the short-number metadata")
	}
	if len(lazyRegexps) < 20 {
		t.Fatalf("%d lazy regexps registered, want the 20 package-level ones", len(lazyRegexps))
	}
	for _, l := range lazyRegexps {
		if l.re != nil {
			t.Fatalf("package init compiled %q", l.expr)
		}
	}

	// The exported collection first, as upstream's init never let happen:
	// the lazy load that follows must still find it.
	coll, err := ShortNumberMetadataCollection()
	if err != nil || len(coll.GetMetadata()) == 0 {
		t.Fatalf("ShortNumberMetadataCollection: %d regions, %v", len(coll.GetMetadata()), err)
	}

	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := Parse("(202) 555-0143", "US")
			if err != nil || !IsValidNumber(n) || Format(n, E164) != "+12025550143" {
				t.Errorf("Parse: %v, %v", n, err)
			}
			if GetCountryCodeForRegion("BR") != 55 {
				t.Error("GetCountryCodeForRegion(BR) != 55")
			}
			if !ConnectsToEmergencyNumber("911", "US") {
				t.Error("911 is no emergency number in US")
			}
			if c, err := MetadataCollection(); err != nil || len(c.GetMetadata()) == 0 {
				t.Errorf("MetadataCollection: %v", err)
			}
		}()
	}
	wg.Wait()
	if currentMetadata == nil || len(shortNumberRegionToMetadataMap) == 0 {
		t.Fatal("first use loaded nothing")
	}
	if File_phonenumber_proto == nil || File_phonemetadata_proto == nil {
		t.Fatal("first use registered no protobuf descriptors")
	}
	// The protobuf runtime's reflection on a message, after the lazy registration.
	n, err := ParseAndKeepRawInput("+55 11 91234-5678", "BR")
	if err != nil || n.String() == "" || n.GetCountryCodeSource().String() != "FROM_NUMBER_WITH_PLUS_SIGN" {
		t.Fatalf("Parse: %v, %q, %v", n, n.GetCountryCodeSource(), err)
	}
}

// Every package-level regexp compiles (a typo would otherwise panic on its
// first use in production, not at init), and only once.
func TestLazyRegexpsCompile(t *testing.T) {
	for _, l := range lazyRegexps {
		re := l.get()
		if re == nil || re.String() != l.expr || l.get() != re {
			t.Fatalf("%q: compiled %v", l.expr, re)
		}
	}
	if !VALID_PHONE_NUMBER_PATTERN.MatchString("(202) 555-0143 ext. 12") {
		t.Error("VALID_PHONE_NUMBER_PATTERN does not match a number with an extension")
	}
}

func TestLazyRegexpBadPatternPanics(t *testing.T) {
	l := &lazyRegexp{expr: "("} // not newLazyRegexp: TestLazyRegexpsCompile must not see it
	defer func() {
		if recover() == nil {
			t.Error("a bad pattern did not panic on first use")
		}
	}()
	l.MatchString("")
}
