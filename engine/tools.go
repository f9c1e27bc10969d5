//go:build tools

// Package engine pins the Pulumi CLI that build.sh compiles; nothing here is run.
package engine

import (
	_ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
)
