package migration

import "strings"

// phoneRegions are the regions libphonenumber's metadata knows
// (phonenumbers.GetSupportedRegions of github.com/nyaruka/phonenumbers v1.8.1),
// sorted, two letters and a space each. KnownPhoneRegion reads this list, not
// the library: POOLSIDE_DEFAULT_PHONE_REGION is validated at every start-up,
// and the library loads its metadata (2.4 MB, ≈ 13 ms of UserMigration's cold
// start) only when a number is normalized (third_party/phonenumbers, #17).
// TestPhoneRegionsAreTheLibrarys holds the list to the library's.
const phoneRegions = "AC AD AE AF AG AI AL AM AO AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS " +
	"BT BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG " +
	"EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GT GU GW GY HK HN HR HT " +
	"HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR " +
	"LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF " +
	"NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD " +
	"SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TA TC TD TG TH TJ TK TL TM TN TO TR TT TV TW " +
	"TZ UA UG US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW"

// KnownPhoneRegion reports whether region (any case) is a region
// libphonenumber has metadata for, without loading that metadata.
func KnownPhoneRegion(region string) bool {
	r := strings.ToUpper(region)
	if len(r) != 2 {
		return false
	}
	for i := 0; i+2 <= len(phoneRegions); i += 3 {
		if phoneRegions[i:i+2] == r {
			return true
		}
	}
	return false
}
