package phonenumbers

// POOLSIDE (lazy-init.patch): the geocoding, carrier and timezone data are not
// vendored (scripts/vendor-phonenumbers.sh deletes them with geocoding.go,
// carrier.go, timezone.go and prefixmapper.go): poolside never looks them up,
// and geocoding.go imported golang.org/x/text/language/display, whose init ran
// at every cold start.

import _ "embed"

//go:embed data/countrycode_to_region.xml.gz
var regionData []byte

//go:embed data/metadata.xml.gz
var numberData []byte

//go:embed data/shortnumber_metadata.xml.gz
var shortNumberData []byte
