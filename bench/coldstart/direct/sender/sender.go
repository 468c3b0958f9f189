// Package sender is what both direct custom sender handlers
// (bench/coldstart/direct) share: the event, the code's decryption with the
// AWS Encryption SDK under a KMS keyring (as AWS's custom sender examples do
// it), and the claim that keeps a retried event from sending twice.
package sender

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"os"
	"strconv"
	"time"

	mpl "github.com/aws/aws-cryptographic-material-providers-library/releases/go/mpl/awscryptographymaterialproviderssmithygenerated"
	mpltypes "github.com/aws/aws-cryptographic-material-providers-library/releases/go/mpl/awscryptographymaterialproviderssmithygeneratedtypes"
	esdk "github.com/aws/aws-encryption-sdk/releases/go/encryption-sdk/awscryptographyencryptionsdksmithygenerated"
	esdktypes "github.com/aws/aws-encryption-sdk/releases/go/encryption-sdk/awscryptographyencryptionsdksmithygeneratedtypes"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/poolside-io/poolside/bench/coldstart/direct/awsenv"
)

// Event is a custom sender event (aws-lambda-go has no type for it).
type Event struct {
	TriggerSource string `json:"triggerSource"`
	UserName      string `json:"userName"`
	Request       struct {
		Type           string            `json:"type"`
		Code           string            `json:"code"`
		UserAttributes map[string]string `json:"userAttributes"`
	} `json:"request"`
}

// Sender decrypts codes and claims them.
type Sender struct {
	esdk    *esdk.Client
	keyring mpltypes.IKeyring
	db      *dynamodb.Client
	table   string
}

// New builds the Encryption SDK client, the keyring on
// POOLSIDE_SENDER_KMS_KEY_ARN and the DynamoDB client.
func New() (*Sender, error) {
	kc := kms.NewFromConfig(awsenv.Config(), func(o *kms.Options) { o.BaseEndpoint = awsenv.Endpoint("KMS") })
	mp, err := mpl.NewClient(mpltypes.MaterialProvidersConfig{})
	if err != nil {
		return nil, err
	}
	keyring, err := mp.CreateAwsKmsKeyring(context.Background(), mpltypes.CreateAwsKmsKeyringInput{
		KmsClient: kc, KmsKeyId: os.Getenv("POOLSIDE_SENDER_KMS_KEY_ARN")})
	if err != nil {
		return nil, err
	}
	policy := mpltypes.ESDKCommitmentPolicyRequireEncryptAllowDecrypt
	c, err := esdk.NewClient(esdktypes.AwsEncryptionSdkConfig{CommitmentPolicy: &policy})
	if err != nil {
		return nil, err
	}
	return &Sender{esdk: c, keyring: keyring, db: awsenv.Dynamo(), table: awsenv.Table("POOLSIDE_PROFILE_STORE")}, nil
}

// Code claims the event's code for ten minutes and decrypts it; ok is false
// when an earlier delivery of the same event claimed it.
func (s *Sender) Code(ctx context.Context, ev Event) (code string, ok bool, err error) {
	sealed, err := base64.StdEncoding.DecodeString(ev.Request.Code)
	if err != nil {
		return "", false, err
	}
	sum := sha256.Sum256(sealed)
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: &s.table,
		Item: map[string]types.AttributeValue{
			"pk":        &types.AttributeValueMemberS{Value: "CLAIM#" + ev.TriggerSource + "#" + hex.EncodeToString(sum[:16])},
			"expiresAt": &types.AttributeValueMemberN{Value: strconv.FormatInt(time.Now().Add(10*time.Minute).Unix(), 10)},
		},
		ConditionExpression:       aws.String("attribute_not_exists(pk) OR expiresAt <= :now"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":now": &types.AttributeValueMemberN{Value: strconv.FormatInt(time.Now().Unix(), 10)}},
	})
	var taken *types.ConditionalCheckFailedException
	if errors.As(err, &taken) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	out, err := s.esdk.Decrypt(ctx, esdktypes.DecryptInput{Ciphertext: sealed, Keyring: s.keyring})
	if err != nil {
		return "", false, err
	}
	return string(out.Plaintext), true, nil
}
