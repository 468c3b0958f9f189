package triggers_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/aws/aws-lambda-go/lambda/messages"

	"github.com/poolside-io/poolside/triggers"
	"github.com/poolside-io/poolside/triggers/signup"
)

// A self sign-up from a trusted domain is auto-confirmed; a disposable
// address is refused in the user's language.
func ExamplePreSignUpHandler() {
	trusted, _ := signup.NewDomainSet("example.com")
	h := &triggers.PreSignUpHandler{
		Policy:          signup.Policy{Required: signup.DefaultRequired, Disposable: signup.Disposable()},
		Trusted:         trusted,
		AutoVerifyEmail: true,
	}
	r := triggers.NewRouter(triggers.WithLogger(slog.New(slog.NewJSONHandler(io.Discard, nil))))
	r.HandlePreSignUp(h.Handle)
	for _, email := range []string{"ana@eng.example.com", "ana@mailinator.com"} {
		out, err := r.Invoke(context.Background(), []byte(`{"version":"1","triggerSource":"PreSignUp_SignUp","userName":"u1",
			"request":{"userAttributes":{"email":"`+email+`","given_name":"Ana","family_name":"Lima","locale":"pt-BR"}},"response":{}}`))
		if err != nil {
			fmt.Println(err.(messages.InvokeResponse_Error).Message)
			continue
		}
		fmt.Println(string(out[len(out)-83:]))
	}
	// Output:
	// "response":{"autoConfirmUser":true,"autoVerifyEmail":true,"autoVerifyPhone":false}}
	// Endereços de e-mail temporários não são aceitos. Use um endereço permanente
}
