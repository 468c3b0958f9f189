package profilestore

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// dynamoAPI is the part of the DynamoDB client the store uses, with the SDK's
// own signatures.
type dynamoAPI interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error)
	TransactWriteItems(ctx context.Context, in *dynamodb.TransactWriteItemsInput, opts ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
}

var _ dynamoAPI = (*dynamodb.Client)(nil)

// Key prefixes of the single-table layout (doc.go).
const (
	prefixProfile = "PROFILE#"
	prefixEmail   = "EMAIL#"
	prefixHandle  = "HANDLE#"
	// prefixHandleSeq items count handle suffixes per base under contention.
	prefixHandleSeq = "HANDLESEQ#"
	attrPK          = "pk"
	attrOwner       = "profileId"
)

// handleBatch is how many handle candidates one BatchGetItem looks at.
const handleBatch = 25

// maxAttempts bounds the retries of a create or an optimistic update.
const maxAttempts = 200

// Dynamo is the DynamoDB Store. Email and handle uniqueness is enforced by
// guard items written in the same transaction as the profile.
type Dynamo struct {
	db    dynamoAPI
	table string
	now   func() time.Time
}

var _ Store = (*Dynamo)(nil)

// NewDynamo returns a store on table. now may be nil (time.Now).
func NewDynamo(db dynamoAPI, table string, now func() time.Time) *Dynamo {
	if now == nil {
		now = time.Now
	}
	return &Dynamo{db: db, table: table, now: now}
}

func (d *Dynamo) clock() time.Time { return d.now().UTC().Truncate(time.Millisecond) }

func key(pk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{attrPK: &types.AttributeValueMemberS{Value: pk}}
}

// record is a profile as stored: the profile's attributes plus its key.
type record struct {
	PK string `dynamodbav:"pk"`
	// Creator is a random token of the create call that wrote the profile:
	// when that transaction commits but its answer is lost and the SDK sends
	// it again, the second attempt is refused (DynamoDB Local and moto ignore
	// the SDK's idempotency token), and the token shows the profile is this
	// call's own creation rather than someone else's.
	Creator string `dynamodbav:"creator,omitempty"`
	// Writer is the same for the last update (update, setTime): PutItem and
	// UpdateItem carry no idempotency token at all, so a resent write whose
	// first attempt committed would otherwise apply its change twice.
	Writer string `dynamodbav:"writer,omitempty"`
	Profile
}

func encode(p Profile) (map[string]types.AttributeValue, error) {
	return encodeRecord(record{Profile: p})
}

// encodeNew is encode with the token of the call that creates p.
func encodeNew(p Profile, creator string) (map[string]types.AttributeValue, error) {
	return encodeRecord(record{Creator: creator, Profile: p})
}

func encodeRecord(r record) (map[string]types.AttributeValue, error) {
	r.PK = prefixProfile + r.ID
	item, err := attributevalue.MarshalMap(r)
	if err != nil {
		return nil, fmt.Errorf("encode profile: %w", err)
	}
	return item, nil
}

func decode(item map[string]types.AttributeValue) (Profile, error) {
	var r record
	if err := attributevalue.UnmarshalMap(item, &r); err != nil {
		return Profile{}, fmt.Errorf("decode profile: %w", err)
	}
	return r.Profile, nil
}

func guard(pk, id string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		attrPK:    &types.AttributeValueMemberS{Value: pk},
		attrOwner: &types.AttributeValueMemberS{Value: id},
	}
}

// Get implements Reader with a strongly consistent read.
func (d *Dynamo) Get(ctx context.Context, id string) (Profile, error) {
	if id == "" {
		return Profile{}, ErrNotFound
	}
	item, err := d.item(ctx, id)
	if err != nil {
		return Profile{}, err
	}
	return decode(item)
}

// item reads the stored profile item with id (ErrNotFound).
func (d *Dynamo) item(ctx context.Context, id string) (map[string]types.AttributeValue, error) {
	out, err := d.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: &d.table, Key: key(prefixProfile + id), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return nil, storeErr("get profile", err)
	}
	if len(out.Item) == 0 {
		return nil, ErrNotFound
	}
	return out.Item, nil
}

// owner reads a guard item and returns the id it points to.
func (d *Dynamo) owner(ctx context.Context, pk string) (string, error) {
	out, err := d.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: &d.table, Key: key(pk), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return "", storeErr("get guard", err)
	}
	v, ok := out.Item[attrOwner].(*types.AttributeValueMemberS)
	if !ok {
		return "", ErrNotFound
	}
	return v.Value, nil
}

// GetByEmail implements Reader.
func (d *Dynamo) GetByEmail(ctx context.Context, email string) (Profile, error) {
	e := NormalizeEmail(email)
	if e == "" {
		return Profile{}, ErrNotFound
	}
	id, err := d.owner(ctx, prefixEmail+e)
	if err != nil {
		return Profile{}, err
	}
	return d.Get(ctx, id)
}

// GetByHandle implements Reader.
func (d *Dynamo) GetByHandle(ctx context.Context, handle string) (Profile, error) {
	h := NormalizeHandle(handle)
	if h == "" {
		return Profile{}, ErrNotFound
	}
	id, err := d.owner(ctx, prefixHandle+h)
	if err != nil {
		return Profile{}, err
	}
	return d.Get(ctx, id)
}

// Create implements Store.
func (d *Dynamo) Create(ctx context.Context, p Profile) (Profile, error) {
	out, _, err := d.create(ctx, p, EmailGuard{})
	return out, err
}

// CreateGuarded implements Store.
func (d *Dynamo) CreateGuarded(ctx context.Context, p Profile, g EmailGuard) (Profile, bool, error) {
	return d.create(ctx, p, g)
}

// Ensure implements Store: one consistent read when the profile exists.
func (d *Dynamo) Ensure(ctx context.Context, p Profile) (Profile, bool, error) {
	got, err := d.Get(ctx, p.ID)
	if err == nil {
		return got, false, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return Profile{}, false, err
	}
	return d.create(ctx, p, EmailGuard{})
}

// create writes the profile and its guards in one transaction (Ensure has
// already read; Create needs no read of its own). Conflicts are
// resolved by what they mean: the same id → the stored profile; the email
// guard held → ErrExists (ErrConflict when g.From lost it); an automatic
// handle taken → the next free one.
func (d *Dynamo) create(ctx context.Context, p Profile, g EmailGuard) (Profile, bool, error) {
	if err := validateNew(p); err != nil {
		return Profile{}, false, err
	}
	// No read first: the transaction's attribute_not_exists on the profile
	// detects an existing id, and that branch returns the stored profile.
	p = withDefaults(p, d.clock())
	guarded := p.Email != "" && !g.Skip
	autoHandle := p.Handle == ""
	base := HandleBase(p)
	next := 0      // the suffix of the handle being tried
	conflicts := 0 // handle conflicts so far
	if autoHandle {
		p.Handle = base
	}
	me := rand.Text() // this call's token on the profile it writes (record.Creator)
	for attempt := 0; attempt < maxAttempts; attempt++ {
		err := d.putNew(ctx, p, me, guarded, g.From)
		if err == nil {
			return clone(p), true, nil
		}
		var c *cancelled
		if !errors.As(err, &c) {
			return Profile{}, false, err
		}
		emailIdx, handleIdx := 1, 2
		if !guarded {
			emailIdx, handleIdx = -1, 1
		}
		if len(c.reasons) == 0 {
			c.reasons = d.probe(ctx, p, guarded, g.From)
		}
		switch {
		case c.failed(0): // the id exists: this call's lost answer, or another creator won
			item, gerr := d.item(ctx, p.ID)
			if gerr == nil {
				got, err := decode(item)
				if err != nil {
					return Profile{}, false, err
				}
				return got, token(item, "creator") == me, nil
			}
			if !errors.Is(gerr, ErrNotFound) {
				return Profile{}, false, gerr
			}
			// deleted in between: try again
		case c.failed(emailIdx):
			if g.From != "" {
				return Profile{}, false, fmt.Errorf("email guard moved from %s: %w", g.From, ErrConflict)
			}
			return Profile{}, false, fmt.Errorf("email: %w", ErrExists)
		case c.failed(handleIdx):
			if !autoHandle {
				return Profile{}, false, fmt.Errorf("handle %s: %w", p.Handle, ErrExists)
			}
			conflicts++
			var h candidate
			var herr error
			if conflicts == 1 {
				// usually no race: take the smallest free suffix
				h, herr = d.freeHandle(ctx, base, next+1)
			} else {
				// racing creators with the same name: a sequence number
				// gives each its own candidate instead of a stampede
				h, herr = d.nextSeq(ctx, base)
			}
			if herr != nil {
				return Profile{}, false, herr
			}
			p.Handle = h.handle
			next = h.n
		default:
			return Profile{}, false, fmt.Errorf("create profile: %w", err)
		}
		if err := ctx.Err(); err != nil {
			return Profile{}, false, err
		}
	}
	return Profile{}, false, fmt.Errorf("create profile %s: too many conflicts: %w", p.ID, ErrConflict)
}

// probe finds which of a create's conditions failed, for servers that cancel
// a transaction without per-item reasons.
func (d *Dynamo) probe(ctx context.Context, p Profile, guarded bool, from string) []string {
	item := func(pk string) map[string]types.AttributeValue {
		out, err := d.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &d.table, Key: key(pk), ConsistentRead: aws.Bool(true)})
		if err != nil {
			return nil
		}
		return out.Item
	}
	reason := func(failed bool) string {
		if failed {
			return "ConditionalCheckFailed"
		}
		return "None"
	}
	rs := []string{reason(len(item(prefixProfile+p.ID)) > 0)}
	if guarded {
		e := item(prefixEmail + p.Email)
		if from != "" {
			v, _ := e[attrOwner].(*types.AttributeValueMemberS)
			rs = append(rs, reason(v == nil || v.Value != from))
		} else {
			rs = append(rs, reason(len(e) > 0))
		}
	}
	return append(rs, reason(len(item(prefixHandle+NormalizeHandle(p.Handle))) > 0))
}

// putNew writes the profile and its guards in one transaction. The email
// guard is written when guarded: new, or taken over from profile from.
func (d *Dynamo) putNew(ctx context.Context, p Profile, creator string, guarded bool, from string) error {
	item, err := encodeNew(p, creator)
	if err != nil {
		return err
	}
	notExists := aws.String("attribute_not_exists(pk)")
	items := []types.TransactWriteItem{{Put: &types.Put{TableName: &d.table, Item: item, ConditionExpression: notExists}}}
	switch {
	case guarded && from != "":
		items = append(items, types.TransactWriteItem{Update: &types.Update{
			TableName: &d.table, Key: key(prefixEmail + p.Email),
			UpdateExpression:    aws.String("SET profileId = :new"),
			ConditionExpression: aws.String("profileId = :old"),
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":old": &types.AttributeValueMemberS{Value: from},
				":new": &types.AttributeValueMemberS{Value: p.ID},
			},
		}})
	case guarded:
		items = append(items, types.TransactWriteItem{Put: &types.Put{
			TableName: &d.table, Item: guard(prefixEmail+p.Email, p.ID), ConditionExpression: notExists,
		}})
	}
	items = append(items, types.TransactWriteItem{Put: &types.Put{
		TableName: &d.table, Item: guard(prefixHandle+NormalizeHandle(p.Handle), p.ID), ConditionExpression: notExists,
	}})
	_, err = d.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	return storeErr("create profile", err)
}

type candidate struct {
	handle string
	n      int
}

// freeHandle finds the smallest free handle base+n with n ≥ from, reading the
// guards handleBatch at a time.
func (d *Dynamo) freeHandle(ctx context.Context, base string, from int) (candidate, error) {
	for start := from; start < from+100*handleBatch; start += handleBatch {
		keys := make([]map[string]types.AttributeValue, 0, handleBatch)
		for n := start; n < start+handleBatch; n++ {
			keys = append(keys, key(prefixHandle+NormalizeHandle(SuffixHandle(base, n))))
		}
		taken := map[string]bool{}
		req := map[string]types.KeysAndAttributes{d.table: {Keys: keys, ConsistentRead: aws.Bool(true)}}
		for len(req) > 0 {
			out, err := d.db.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: req})
			if err != nil {
				return candidate{}, storeErr("read handles", err)
			}
			for _, item := range out.Responses[d.table] {
				if v, ok := item[attrPK].(*types.AttributeValueMemberS); ok {
					taken[v.Value] = true
				}
			}
			req = out.UnprocessedKeys
			if err := ctx.Err(); err != nil {
				return candidate{}, err
			}
		}
		for n := start; n < start+handleBatch; n++ {
			h := SuffixHandle(base, n)
			if !taken[prefixHandle+NormalizeHandle(h)] {
				return candidate{handle: h, n: n}, nil
			}
		}
	}
	return candidate{}, fmt.Errorf("no free handle for %s: %w", base, ErrExists)
}

// nextSeq hands out the next number of the base handle's sequence item; each
// concurrent creator gets a different one.
func (d *Dynamo) nextSeq(ctx context.Context, base string) (candidate, error) {
	out, err := d.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 &d.table,
		Key:                       key(prefixHandleSeq + NormalizeHandle(base)),
		UpdateExpression:          aws.String("ADD seq :one"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":one": num(1)},
		ReturnValues:              types.ReturnValueUpdatedNew,
	})
	if err != nil {
		return candidate{}, storeErr("next handle number", err)
	}
	v, ok := out.Attributes["seq"].(*types.AttributeValueMemberN)
	if !ok {
		return candidate{}, fmt.Errorf("next handle number: no seq returned")
	}
	n, err := strconv.Atoi(v.Value)
	if err != nil {
		return candidate{}, fmt.Errorf("next handle number: %w", err)
	}
	return candidate{handle: SuffixHandle(base, n), n: n}, nil
}

// Adopt implements Store: the pending profile is re-keyed to p.ID in one
// transaction, its guards pointed at the new id.
func (d *Dynamo) Adopt(ctx context.Context, pendingID string, p Profile) (Profile, error) {
	if got, err := d.Get(ctx, p.ID); err == nil || !errors.Is(err, ErrNotFound) {
		return got, err
	}
	pending, err := d.Get(ctx, pendingID)
	if err != nil {
		return Profile{}, err
	}
	if !pending.Pending() || p.ID == "" || p.Pending() {
		return Profile{}, fmt.Errorf("adopt %s as %q: %w", pendingID, p.ID, ErrInvalid)
	}
	guarded := false
	if pending.Email != "" {
		owner, oerr := d.owner(ctx, prefixEmail+pending.Email)
		if oerr != nil && !errors.Is(oerr, ErrNotFound) {
			return Profile{}, oerr
		}
		guarded = owner == pending.ID
	}
	adopted := adopt(pending, p, d.clock())
	item, err := encode(adopted)
	if err != nil {
		return Profile{}, err
	}
	owned := aws.String("profileId = :old")
	vals := map[string]types.AttributeValue{
		":old": &types.AttributeValueMemberS{Value: pending.ID},
		":new": &types.AttributeValueMemberS{Value: adopted.ID},
	}
	repoint := func(pk string) types.TransactWriteItem {
		return types.TransactWriteItem{Update: &types.Update{
			TableName: &d.table, Key: key(pk),
			UpdateExpression: aws.String("SET profileId = :new"), ConditionExpression: owned, ExpressionAttributeValues: vals,
		}}
	}
	items := []types.TransactWriteItem{
		{Delete: &types.Delete{
			TableName: &d.table, Key: key(prefixProfile + pending.ID),
			ConditionExpression:       aws.String("version = :v"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":v": num(pending.Version)},
		}},
		{Put: &types.Put{TableName: &d.table, Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)")}},
		repoint(prefixHandle + NormalizeHandle(pending.Handle)),
	}
	if guarded {
		items = append(items, repoint(prefixEmail+pending.Email))
	}
	_, err = d.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if err != nil {
		var c *cancelled
		if errors.As(storeErr("adopt profile", err), &c) {
			if got, gerr := d.Get(ctx, p.ID); gerr == nil { // adopted concurrently
				return got, nil
			}
			return Profile{}, fmt.Errorf("adopt profile: %w", ErrConflict)
		}
		return Profile{}, storeErr("adopt profile", err)
	}
	return clone(adopted), nil
}

func num(n int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}
}

// update reads the profile, applies change and writes it back if nobody
// changed it in between (optimistic concurrency on version), retrying a few
// times. A refused write that finds this call's token (record.Writer) was
// this call's own, its answer lost and the SDK's resend refused: it is not
// applied a second time.
func (d *Dynamo) update(ctx context.Context, id string, change func(*Profile) error) (Profile, error) {
	me := rand.Text()
	p, err := d.Get(ctx, id)
	if err != nil {
		return Profile{}, err
	}
	for attempt := 0; attempt < 5; attempt++ {
		old, before := p.Version, clone(p)
		if err := change(&p); err != nil {
			return Profile{}, err
		}
		if err := sameIdentity(before, p); err != nil {
			return Profile{}, err
		}
		p.UpdatedAt = d.clock()
		p.Version = old + 1
		item, err := encodeRecord(record{Writer: me, Profile: p})
		if err != nil {
			return Profile{}, err
		}
		_, err = d.db.PutItem(ctx, &dynamodb.PutItemInput{
			TableName: &d.table, Item: item,
			ConditionExpression:       aws.String("version = :v"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":v": num(old)},
		})
		err = storeErr("update profile", err)
		if errors.Is(err, ErrConflict) {
			// one read decides: this call's own write, or the next attempt's base
			var mine bool
			if p, mine, err = d.writtenBy(ctx, id, me); err != nil || mine {
				return p, err
			}
			continue
		}
		if err != nil {
			return Profile{}, err
		}
		return p, nil
	}
	return Profile{}, fmt.Errorf("update profile %s: %w", id, ErrConflict)
}

// writtenBy reads profile id (ErrNotFound) and reports whether its last
// update carries the token want: a refused write that was in fact this
// call's own.
func (d *Dynamo) writtenBy(ctx context.Context, id, want string) (Profile, bool, error) {
	item, err := d.item(ctx, id)
	if err != nil {
		return Profile{}, false, err
	}
	p, err := decode(item)
	return p, err == nil && token(item, "writer") == want, err
}

// token is a profile item's call token attr ("creator" or "writer", see
// record), "" when it has none.
func token(item map[string]types.AttributeValue, attr string) string {
	t, _ := item[attr].(*types.AttributeValueMemberS)
	if t == nil {
		return ""
	}
	return t.Value
}

// setTime sets one timestamp attribute with a single conditional update: no
// read, so PostAuthentication stays one round trip. Its token (record.Writer)
// makes a resend of a committed update fail its condition instead of bumping
// the version again; only then does it read, to tell that from a profile
// that is gone.
func (d *Dynamo) setTime(ctx context.Context, id, attr string, at time.Time) error {
	ts, err := attributevalue.Marshal(at.UTC().Truncate(time.Millisecond))
	if err != nil {
		return err
	}
	now, err := attributevalue.Marshal(d.clock())
	if err != nil {
		return err
	}
	me := &types.AttributeValueMemberS{Value: rand.Text()}
	_, err = d.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 &d.table,
		Key:                       key(prefixProfile + id),
		UpdateExpression:          aws.String("SET #t = :t, updatedAt = :now, writer = :me ADD version :one"),
		ConditionExpression:       aws.String("attribute_exists(pk) AND (attribute_not_exists(writer) OR writer <> :me)"),
		ExpressionAttributeNames:  map[string]string{"#t": attr},
		ExpressionAttributeValues: map[string]types.AttributeValue{":t": ts, ":now": now, ":one": num(1), ":me": me},
	})
	err = storeErr("update "+attr, err)
	if errors.Is(err, ErrConflict) {
		item, gerr := d.item(ctx, id)
		switch {
		case gerr != nil:
			return gerr // ErrNotFound: the condition refused a missing profile
		case token(item, "writer") == me.Value:
			return nil // the resend of this call's committed update
		default: // created or rewritten in between
			return fmt.Errorf("update %s: %w", attr, ErrConflict)
		}
	}
	return err
}

// TouchLogin implements Store.
func (d *Dynamo) TouchLogin(ctx context.Context, id string, at time.Time) error {
	return d.setTime(ctx, id, "lastLoginAt", at)
}

// SetPasswordChanged implements Store.
func (d *Dynamo) SetPasswordChanged(ctx context.Context, id string, at time.Time) error {
	return d.setTime(ctx, id, "passwordChangedAt", at)
}

// Delete implements Store: the profile and its guards go in one transaction.
func (d *Dynamo) Delete(ctx context.Context, id string) error {
	for attempt := 0; attempt < 5; attempt++ {
		p, err := d.Get(ctx, id)
		if attempt > 0 && errors.Is(err, ErrNotFound) {
			// refused, and now gone: this call's transaction committed with its
			// answer lost (DynamoDB Local and moto ignore the SDK's idempotency
			// token), or another delete won; either way the profile is deleted
			return nil
		}
		if err != nil {
			return err
		}
		owned := aws.String("profileId = :id")
		idv := map[string]types.AttributeValue{":id": &types.AttributeValueMemberS{Value: id}}
		items := []types.TransactWriteItem{{Delete: &types.Delete{
			TableName: &d.table, Key: key(prefixProfile + id),
			ConditionExpression:       aws.String("version = :v"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":v": num(p.Version)},
		}}}
		if p.Email != "" {
			// only a guard this profile holds: an unguarded profile's email
			// may be another's (EmailGuard)
			owner, err := d.owner(ctx, prefixEmail+p.Email)
			if err != nil && !errors.Is(err, ErrNotFound) {
				return err
			}
			if owner == id {
				items = append(items, types.TransactWriteItem{Delete: &types.Delete{
					TableName: &d.table, Key: key(prefixEmail + p.Email), ConditionExpression: owned, ExpressionAttributeValues: idv,
				}})
			}
		}
		items = append(items, types.TransactWriteItem{Delete: &types.Delete{
			TableName: &d.table, Key: key(prefixHandle + NormalizeHandle(p.Handle)), ConditionExpression: owned, ExpressionAttributeValues: idv,
		}})
		_, err = d.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
		if err = storeErr("delete profile", err); err == nil {
			return nil
		}
		var c *cancelled
		if !errors.As(err, &c) {
			return err
		}
	}
	return fmt.Errorf("delete profile %s: %w", id, ErrConflict)
}

// cancelled is a cancelled transaction with the reason of each item.
type cancelled struct {
	op      string
	reasons []string
}

func (c *cancelled) Error() string {
	return fmt.Sprintf("%s: transaction cancelled [%s]", c.op, strings.Join(c.reasons, ", "))
}

// Is makes a cancelled transaction match ErrConflict.
func (c *cancelled) Is(target error) bool { return target == ErrConflict }

// failed reports whether item i failed its condition.
func (c *cancelled) failed(i int) bool {
	return i >= 0 && i < len(c.reasons) && c.reasons[i] == "ConditionalCheckFailed"
}

// storeErr is the one place SDK errors become the package's errors.
func storeErr(op string, err error) error {
	if err == nil {
		return nil
	}
	var (
		tce *types.TransactionCanceledException
		ccf *types.ConditionalCheckFailedException
		rnf *types.ResourceNotFoundException
	)
	switch {
	case errors.As(err, &tce):
		c := &cancelled{op: op}
		for _, r := range tce.CancellationReasons {
			c.reasons = append(c.reasons, aws.ToString(r.Code))
		}
		if len(c.reasons) == 0 {
			c.reasons = reasonsFromMessage(aws.ToString(tce.Message))
		}
		return c
	case errors.As(err, &ccf):
		return fmt.Errorf("%s: %w", op, ErrConflict)
	case errors.As(err, &rnf):
		return fmt.Errorf("%s: profile table missing (run poolside table create): %w", op, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}

// reasonsFromMessage reads "Transaction cancelled, please refer cancellation
// reasons for specific reasons [None, ConditionalCheckFailed]" for servers
// that do not return the structured reasons.
func reasonsFromMessage(msg string) []string {
	i, j := strings.LastIndexByte(msg, '['), strings.LastIndexByte(msg, ']')
	if i < 0 || j < i {
		return nil
	}
	var out []string
	for _, r := range strings.Split(msg[i+1:j], ",") {
		out = append(out, strings.TrimSpace(r))
	}
	return out
}
