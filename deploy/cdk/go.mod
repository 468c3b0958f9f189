// Not Go: this go.mod only keeps the go tool (./...) out of node_modules, where the
// aws-cdk CLI ships Go init templates that do not build.
module poolside.invalid/deploy/cdk

go 1.26
