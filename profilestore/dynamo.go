package profilestore

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// Dynamo is the DynamoDB Store (being written).
type Dynamo struct {
	*Memory
}

// NewDynamo returns a store on table.
func NewDynamo(client *dynamodb.Client, table string, now func() time.Time) *Dynamo {
	return &Dynamo{Memory: NewMemory(now)}
}
