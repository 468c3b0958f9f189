package delivery

import (
	"context"
	"errors"
	"fmt"
	"sync"

	mpl "github.com/aws/aws-cryptographic-material-providers-library/releases/go/mpl/awscryptographymaterialproviderssmithygenerated"
	mpltypes "github.com/aws/aws-cryptographic-material-providers-library/releases/go/mpl/awscryptographymaterialproviderssmithygeneratedtypes"
	esdk "github.com/aws/aws-encryption-sdk/releases/go/encryption-sdk/awscryptographyencryptionsdksmithygenerated"
	esdktypes "github.com/aws/aws-encryption-sdk/releases/go/encryption-sdk/awscryptographyencryptionsdksmithygeneratedtypes"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/poolside-io/poolside/internal/deepstack"
)

// KMS decrypts Encryption SDK messages whose data key is wrapped by one KMS
// key: the code Cognito puts in a custom sender event. Safe for concurrent
// use: calls into the Encryption SDK take turns (esdkTurn).
type KMS struct {
	client  *esdk.Client
	keyring mpltypes.IKeyring
}

// esdkTurn serialises every call into the Encryption SDK in this process. Its
// Go release is not safe for concurrent use: two calls, even on separate
// clients, write the same process-global Dafny sequence (the race detector
// reports it; aws/aws-encryption-sdk#902, open for v0.4.0). A Lambda function
// answers one event at a time, so only `poolside serve` (up to 4 at once) and
// tests ever wait here; a sender's decryption then waits for the one before
// it, KMS call included.
var esdkTurn sync.Mutex

// NewKMS returns a decrypter for messages encrypted under keyARN. It makes no
// network call: KMS is called on each Decrypt.
//
// The commitment policy is REQUIRE_ENCRYPT_ALLOW_DECRYPT, as in AWS's custom
// sender examples: it decrypts messages from algorithm suites with and without
// key commitment, whichever Cognito uses.
func NewKMS(client *kms.Client, keyARN string) (*KMS, error) {
	if keyARN == "" {
		return nil, errors.New("no KMS key ARN")
	}
	esdkTurn.Lock()
	defer esdkTurn.Unlock()
	mp, err := mpl.NewClient(mpltypes.MaterialProvidersConfig{})
	if err != nil {
		return nil, fmt.Errorf("material providers: %w", err)
	}
	keyring, err := mp.CreateAwsKmsKeyring(context.Background(), mpltypes.CreateAwsKmsKeyringInput{KmsClient: client, KmsKeyId: keyARN})
	if err != nil {
		return nil, fmt.Errorf("KMS keyring: %w", err)
	}
	policy := mpltypes.ESDKCommitmentPolicyRequireEncryptAllowDecrypt
	c, err := esdk.NewClient(esdktypes.AwsEncryptionSdkConfig{CommitmentPolicy: &policy})
	if err != nil {
		return nil, fmt.Errorf("encryption SDK: %w", err)
	}
	return &KMS{client: c, keyring: keyring}, nil
}

// Decrypt returns the plaintext of an Encryption SDK message. The SDK does
// not pass ctx on to KMS, so Decrypt returns ctx's error when ctx ends first,
// also while it waits for its turn (the KMS client's own timeout ends the
// abandoned call, and its turn).
func (k *KMS) Decrypt(ctx context.Context, ciphertext []byte) ([]byte, error) {
	type result struct {
		plain []byte
		err   error
	}
	done := make(chan result, 1)
	go func() {
		deepstack.Grow() // the Encryption SDK and the KMS call run deep
		esdkTurn.Lock()
		defer esdkTurn.Unlock()
		if ctx.Err() != nil { // ended while waiting: the caller has gone
			done <- result{err: ctx.Err()}
			return
		}
		out, err := k.client.Decrypt(ctx, esdktypes.DecryptInput{Ciphertext: ciphertext, Keyring: k.keyring})
		if err != nil {
			done <- result{err: err}
			return
		}
		done <- result{plain: out.Plaintext}
	}()
	select {
	case r := <-done:
		return r.plain, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
