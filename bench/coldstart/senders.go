package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"

	mpl "github.com/aws/aws-cryptographic-material-providers-library/releases/go/mpl/awscryptographymaterialproviderssmithygenerated"
	mpltypes "github.com/aws/aws-cryptographic-material-providers-library/releases/go/mpl/awscryptographymaterialproviderssmithygeneratedtypes"
	esdk "github.com/aws/aws-encryption-sdk/releases/go/encryption-sdk/awscryptographyencryptionsdksmithygenerated"
	esdktypes "github.com/aws/aws-encryption-sdk/releases/go/encryption-sdk/awscryptographyencryptionsdksmithygeneratedtypes"
)

// withSenderCode replaces request.code of a custom sender's events with an
// AWS Encryption SDK message of a code, under a KMS keyring on the
// stand-in's key (benchKeyARN): what Cognito sends, so that the function's
// first event decrypts for real (KMS Decrypt answered by the stand-in).
func withSenderCode(awsURL string, first []byte, mixed [][]byte) ([]byte, [][]byte, error) {
	ctx := context.Background()
	kc := kms.New(kms.Options{Region: "us-east-1", BaseEndpoint: aws.String(awsURL),
		Credentials: credentials.NewStaticCredentialsProvider("bench", "bench", "")})
	mp, err := mpl.NewClient(mpltypes.MaterialProvidersConfig{})
	if err != nil {
		return nil, nil, err
	}
	keyring, err := mp.CreateAwsKmsKeyring(ctx, mpltypes.CreateAwsKmsKeyringInput{KmsClient: kc, KmsKeyId: benchKeyARN})
	if err != nil {
		return nil, nil, err
	}
	policy := mpltypes.ESDKCommitmentPolicyRequireEncryptRequireDecrypt
	c, err := esdk.NewClient(esdktypes.AwsEncryptionSdkConfig{CommitmentPolicy: &policy})
	if err != nil {
		return nil, nil, err
	}
	out, err := c.Encrypt(ctx, esdktypes.EncryptInput{Plaintext: []byte("482913"), Keyring: keyring})
	if err != nil {
		return nil, nil, fmt.Errorf("encrypt a code on the stand-in's KMS: %w", err)
	}
	code := base64.StdEncoding.EncodeToString(out.Ciphertext)
	set := func(ev []byte) ([]byte, error) {
		var m map[string]any
		if err := json.Unmarshal(ev, &m); err != nil {
			return nil, err
		}
		if req, ok := m["request"].(map[string]any); ok && req["code"] != nil {
			req["code"] = code
		}
		return json.Marshal(m)
	}
	if first, err = set(first); err != nil {
		return nil, nil, err
	}
	for i := range mixed {
		if mixed[i], err = set(mixed[i]); err != nil {
			return nil, nil, err
		}
	}
	return first, mixed, nil
}
