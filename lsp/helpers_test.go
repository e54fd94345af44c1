package lsp

import (
	"context"
	"io"
)

func serveFunc(opts Options) func(context.Context, io.ReadWriteCloser) error {
	return func(ctx context.Context, s io.ReadWriteCloser) error { return Serve(ctx, s, opts) }
}
